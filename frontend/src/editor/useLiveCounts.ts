/** Per-node live counts: an HTTP snapshot on load, then Socket.IO snapshots and deltas. Re-joining after a
 * dropped connection brings a fresh snapshot, so nothing missed while offline stays wrong. */
import { useEffect, useState } from "react";
import { io } from "socket.io-client";
import { api } from "../api/client";
import type { CountsByNode, CountsPayload, FlowCounts } from "../api/types";

const FLOW_POLL_MS = 3000;

/** connecting: never connected yet; live; lost: was connected, now is not; back: reconnected after a loss. */
export type LiveState = "off" | "connecting" | "live" | "lost" | "back";

export function useLiveCounts(journeyId: string, live: boolean) {
  const [counts, setCounts] = useState<CountsByNode>({});
  const [state, setState] = useState<LiveState>("off");
  const [flow, setFlow] = useState<FlowCounts | null>(null);

  useEffect(() => {
    if (!live) return;
    let cancelled = false;
    api
      .counts(journeyId)
      .then((res) => !cancelled && setCounts((prev) => ({ ...res.nodes, ...prev })))
      .catch(() => {
        /* the socket snapshot will fill in */
      });

    // The per-output split and message tallies follow the counts: refetched after each change, one request
    // at a time (a change during a request triggers exactly one more).
    let inFlight = false;
    let again = false;
    const refreshFlow = () => {
      if (inFlight) {
        again = true;
        return;
      }
      inFlight = true;
      api
        .flow(journeyId)
        .then((f) => !cancelled && setFlow(f))
        .catch(() => {
          /* keep the last split; the next change retries */
        })
        .finally(() => {
          inFlight = false;
          if (again && !cancelled) {
            again = false;
            refreshFlow();
          }
        });
    };
    refreshFlow();
    // Deliveries (sent / failed) change no node count, so no delta announces them: poll the tallies too.
    const poll = window.setInterval(refreshFlow, FLOW_POLL_MS);

    const id = Number(journeyId);
    const socket = io({ path: "/socket.io", transports: ["websocket", "polling"] });
    const mine = (p: CountsPayload) => p && Number(p.journey_id) === id;
    let lost = false;
    setState("connecting");
    socket.on("connect", () => {
      setState(lost ? "back" : "live");
      lost = false;
      socket.emit("join", { journey_id: id });
    });
    socket.on("disconnect", () => {
      lost = true;
      setState("lost");
    });
    socket.on("counts:snapshot", (p: CountsPayload) => {
      if (!mine(p)) return;
      setCounts({ ...p.nodes });
      refreshFlow();
    });
    socket.on("counts:delta", (p: CountsPayload) => {
      if (!mine(p)) return;
      setCounts((prev) => ({ ...prev, ...p.nodes }));
      refreshFlow();
    });
    return () => {
      cancelled = true;
      window.clearInterval(poll);
      if (socket.connected) socket.emit("leave", { journey_id: id });
      socket.disconnect();
      setState("off");
    };
  }, [journeyId, live]);

  // "Back" is news for a moment, then the banner goes away by itself.
  useEffect(() => {
    if (state !== "back") return;
    const timer = window.setTimeout(() => setState((s) => (s === "back" ? "live" : s)), 6000);
    return () => window.clearTimeout(timer);
  }, [state]);

  return { counts, flow, state };
}
