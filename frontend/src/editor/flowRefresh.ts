/** When the send tallies and per-output splits (`/flow`) are fetched again. Counts deltas and message deltas
 * (deliveries, which move no node count) come over the socket, so the tallies follow them, once per burst;
 * polling is only the fallback while the socket is down. Pure of React so it can be tested with fake timers. */
import type { FlowCounts } from "../api/types";

/** A burst of deltas is one fetch, this long after the last delta… */
export const FLOW_DEBOUNCE_MS = 400;
/** …and never later than this after the first (a steady stream of deltas still refreshes). */
export const FLOW_MAX_WAIT_MS = 1500;
/** Polling interval while the socket is down. */
export const FLOW_POLL_MS = 3000;

export interface FlowRefresher {
  /** Fetch now: on load, and with each fresh snapshot (a (re)joined room). */
  now(): void;
  /** Counts or send tallies changed (a delta): fetch after the burst. */
  changed(): void;
  /** The socket's state: polling runs only while it is disconnected. */
  setConnected(connected: boolean): void;
  stop(): void;
}

export function createFlowRefresher(load: () => Promise<FlowCounts>, onFlow: (flow: FlowCounts) => void): FlowRefresher {
  let stopped = false;
  let connected = false;
  // One request at a time: a request asked for during one is made once, right after it.
  let inFlight = false;
  let again = false;
  let debounce: ReturnType<typeof setTimeout> | null = null;
  let burstStart = 0;
  let poll: ReturnType<typeof setTimeout> | null = null;

  const clear = (timer: ReturnType<typeof setTimeout> | null) => timer !== null && clearTimeout(timer);

  const schedulePoll = () => {
    clear(poll);
    poll = null;
    if (stopped || inFlight || connected) return;
    poll = setTimeout(() => {
      poll = null;
      fetchNow();
    }, FLOW_POLL_MS);
  };

  const fetchNow = () => {
    if (stopped) return;
    clear(debounce);
    debounce = null;
    if (inFlight) {
      again = true;
      return;
    }
    inFlight = true;
    clear(poll);
    poll = null;
    load()
      .then((flow) => {
        if (stopped) return;
        onFlow(flow);
      })
      .catch(() => {
        /* keep the last tallies; the next delta or poll retries */
      })
      .finally(() => {
        inFlight = false;
        if (stopped) return;
        if (again) {
          again = false;
          fetchNow();
        } else schedulePoll();
      });
  };

  return {
    now: fetchNow,
    changed() {
      if (stopped) return;
      const at = Date.now();
      if (debounce === null) burstStart = at;
      else clear(debounce);
      const wait = Math.max(0, Math.min(FLOW_DEBOUNCE_MS, burstStart + FLOW_MAX_WAIT_MS - at));
      debounce = setTimeout(fetchNow, wait);
    },
    setConnected(next) {
      connected = next;
      schedulePoll();
    },
    stop() {
      stopped = true;
      clear(debounce);
      clear(poll);
      debounce = poll = null;
    },
  };
}
