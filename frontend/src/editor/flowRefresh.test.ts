import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { FlowCounts } from "../api/types";
import { createFlowRefresher, FLOW_DEBOUNCE_MS, FLOW_MAX_WAIT_MS, FLOW_POLL_MS, type FlowRefresher } from "./flowRefresh";

const flow = (pending = 0): FlowCounts => ({ journey_id: 1, handles: {}, messages: { mail: { sent: 1, failed: 0, pending } } });

describe("createFlowRefresher", () => {
  let load: ReturnType<typeof vi.fn<() => Promise<FlowCounts>>>;
  let seen: FlowCounts[];
  let r: FlowRefresher;
  // Let the resolved request's callbacks run.
  const settle = async () => {
    for (let i = 0; i < 5; i++) await Promise.resolve();
  };

  beforeEach(() => {
    vi.useFakeTimers();
    load = vi.fn(() => Promise.resolve(flow()));
    seen = [];
    r = createFlowRefresher(load, (f) => seen.push(f));
  });
  afterEach(() => {
    r.stop();
    vi.useRealTimers();
  });

  it("fetches once for a burst of deltas, after the burst", async () => {
    r.setConnected(true);
    for (let i = 0; i < 5; i++) {
      r.changed();
      await vi.advanceTimersByTimeAsync(100);
    }
    expect(load).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(FLOW_DEBOUNCE_MS);
    expect(load).toHaveBeenCalledTimes(1);
    expect(seen).toHaveLength(1);
  });

  it("still refreshes during a steady stream of deltas", async () => {
    r.setConnected(true);
    for (let t = 0; t <= FLOW_MAX_WAIT_MS; t += 200) {
      r.changed();
      await vi.advanceTimersByTimeAsync(200);
    }
    expect(load).toHaveBeenCalledTimes(1);
  });

  it("does not poll while the socket is connected", async () => {
    r.now();
    r.setConnected(true);
    await settle();
    await vi.advanceTimersByTimeAsync(FLOW_POLL_MS * 5);
    expect(load).toHaveBeenCalledTimes(1);
  });

  it("polls while the socket is disconnected, and stops once it is back", async () => {
    r.now(); // not connected yet
    await settle();
    await vi.advanceTimersByTimeAsync(FLOW_POLL_MS);
    expect(load).toHaveBeenCalledTimes(2);
    r.setConnected(true);
    await vi.advanceTimersByTimeAsync(FLOW_POLL_MS * 3);
    expect(load).toHaveBeenCalledTimes(2);
    r.setConnected(false);
    await vi.advanceTimersByTimeAsync(FLOW_POLL_MS);
    expect(load).toHaveBeenCalledTimes(3);
  });

  it("does not poll while connected, even with deliveries pending: their deltas announce them", async () => {
    load.mockResolvedValue(flow(2));
    r.setConnected(true);
    r.now();
    await settle();
    await vi.advanceTimersByTimeAsync(FLOW_POLL_MS * 3);
    expect(load).toHaveBeenCalledTimes(1);
    r.changed(); // a messages:delta
    await vi.advanceTimersByTimeAsync(FLOW_DEBOUNCE_MS);
    expect(load).toHaveBeenCalledTimes(2);
  });

  it("makes one request at a time; asks during one make exactly one more", async () => {
    let release: (f: FlowCounts) => void = () => {};
    load.mockImplementationOnce(() => new Promise((resolve) => (release = resolve)));
    r.setConnected(true);
    r.now();
    r.now();
    r.now();
    expect(load).toHaveBeenCalledTimes(1);
    release(flow());
    await settle();
    expect(load).toHaveBeenCalledTimes(2);
  });

  it("does nothing after stop", async () => {
    r.changed();
    r.stop();
    await vi.advanceTimersByTimeAsync(FLOW_POLL_MS * 2);
    expect(load).not.toHaveBeenCalled();
  });
});
