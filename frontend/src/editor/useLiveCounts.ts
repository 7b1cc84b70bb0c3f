/** Per-node live counts: an HTTP snapshot on load, then Socket.IO snapshots and deltas. Re-joining after a
 * dropped connection brings a fresh snapshot, so nothing missed while offline stays wrong. */
import { useEffect, useState } from "react";
import { io } from "socket.io-client";
import { api } from "../api/client";
import type { CountsByNode, CountsPayload, FlowCounts } from "../api/types";
import { createFlowRefresher } from "./flowRefresh";

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

    // The per-output split and message tallies follow the counts and deliveries: fetched once per burst of deltas, polled
    // only while the socket is down (see flowRefresh.ts).
    const flowRefresh = createFlowRefresher(
      () => api.flow(journeyId),
      (f) => !cancelled && setFlow(f),
    );
    flowRefresh.now();

    const id = Number(journeyId);
    const socket = io({ path: "/socket.io", transports: ["websocket", "polling"] });
    const mine = (p: CountsPayload) => p && Number(p.journey_id) === id;
    let lost = false;
    setState("connecting");
    socket.on("connect", () => {
      flowRefresh.setConnected(true);
      setState(lost ? "back" : "live");
      lost = false;
      socket.emit("join", { journey_id: id });
    });
    socket.on("disconnect", () => {
      flowRefresh.setConnected(false);
      lost = true;
      setState("lost");
    });
    socket.on("counts:snapshot", (p: CountsPayload) => {
      if (!mine(p)) return;
      setCounts({ ...p.nodes });
      flowRefresh.now();
    });
    socket.on("counts:delta", (p: CountsPayload) => {
      if (!mine(p)) return;
      setCounts((prev) => ({ ...prev, ...p.nodes }));
      flowRefresh.changed();
    });
    // Deliveries move no node count: the publisher says so per journey, and the send tallies follow.
    socket.on("messages:delta", (p: { journey_id: number }) => {
      if (p && Number(p.journey_id) === id) flowRefresh.changed();
    });
    return () => {
      cancelled = true;
      flowRefresh.stop();
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
