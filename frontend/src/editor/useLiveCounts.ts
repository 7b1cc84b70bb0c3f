/** Per-node live counts: an HTTP snapshot on load, then Socket.IO snapshots and deltas. */
import { useEffect, useState } from "react";
import { io } from "socket.io-client";
import { api } from "../api/client";
import type { CountsByNode, CountsPayload } from "../api/types";

export function useLiveCounts(journeyId: string, live: boolean) {
  const [counts, setCounts] = useState<CountsByNode>({});
  const [connected, setConnected] = useState(false);

  useEffect(() => {
    if (!live) return;
    let cancelled = false;
    api
      .counts(journeyId)
      .then((res) => !cancelled && setCounts((prev) => ({ ...res.nodes, ...prev })))
      .catch(() => {
        /* the socket snapshot will fill in */
      });

    const id = Number(journeyId);
    const socket = io({ path: "/socket.io", transports: ["websocket", "polling"] });
    const mine = (p: CountsPayload) => p && Number(p.journey_id) === id;
    socket.on("connect", () => {
      setConnected(true);
      socket.emit("join", { journey_id: id });
    });
    socket.on("disconnect", () => setConnected(false));
    socket.on("counts:snapshot", (p: CountsPayload) => mine(p) && setCounts({ ...p.nodes }));
    socket.on("counts:delta", (p: CountsPayload) => mine(p) && setCounts((prev) => ({ ...prev, ...p.nodes })));
    return () => {
      cancelled = true;
      if (socket.connected) socket.emit("leave", { journey_id: id });
      socket.disconnect();
      setConnected(false);
    };
  }, [journeyId, live]);

  return { counts, connected };
}
