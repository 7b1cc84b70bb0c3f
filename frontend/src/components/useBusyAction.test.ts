import { afterEach, describe, expect, it, vi } from "vitest";
import { busyRunner } from "./useBusyAction";

/** A promise the test settles by hand. */
function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (err: unknown) => void;
  const promise = new Promise<T>((yes, no) => {
    resolve = yes;
    reject = no;
  });
  return { promise, resolve, reject };
}

afterEach(() => vi.restoreAllMocks());

describe("busyRunner (useBusyAction)", () => {
  it("is busy for the run's duration and returns what the action returned", async () => {
    const states: boolean[] = [];
    const { run } = busyRunner((b) => states.push(b));
    const action = deferred<string>();
    const result = run(() => action.promise);
    expect(states).toEqual([true]);
    action.resolve("done");
    expect(await result).toBe("done");
    expect(states).toEqual([true, false]);
  });

  it("ignores a second call while one runs", async () => {
    const states: boolean[] = [];
    const { run } = busyRunner((b) => states.push(b));
    const first = deferred<number>();
    const second = vi.fn(async () => 2);
    const one = run(() => first.promise);
    expect(await run(second)).toBeUndefined();
    expect(second).not.toHaveBeenCalled();
    first.resolve(1);
    expect(await one).toBe(1);
    expect(states).toEqual([true, false]);
    // Once the first is over, the next call runs.
    expect(await run(second)).toBe(2);
    expect(second).toHaveBeenCalledTimes(1);
  });

  it("hands the error to onError, stops being busy and returns undefined after a throw", async () => {
    const states: boolean[] = [];
    const order: string[] = [];
    const { run } = busyRunner((b) => {
      states.push(b);
      order.push(`busy ${b}`);
    });
    const boom = new Error("boom");
    const result = await run(
      async () => {
        throw boom;
      },
      { onError: (err) => order.push(err === boom ? "onError boom" : "onError ?") },
    );
    expect(result).toBeUndefined();
    // The error is shown before the button comes back, as the hand-written try/catch/finally did.
    expect(order).toEqual(["busy true", "onError boom", "busy false"]);
    expect(await run(async () => "again")).toBe("again");
  });

  it("throws on to the caller without onError, still ending busy", async () => {
    const states: boolean[] = [];
    const { run } = busyRunner((b) => states.push(b));
    await expect(run(() => Promise.reject(new Error("lost")))).rejects.toThrow("lost");
    expect(states).toEqual([true, false]);
  });

  it("keepBusyOnSuccess stays busy (and ignores calls) after a success, not after a failure", async () => {
    const states: boolean[] = [];
    const { run } = busyRunner((b) => states.push(b));
    const onError = vi.fn();
    await run(() => Promise.reject(new Error("no")), { onError, keepBusyOnSuccess: true });
    expect(states).toEqual([true, false]);
    expect(onError).toHaveBeenCalledTimes(1);
    expect(await run(async () => "left", { keepBusyOnSuccess: true })).toBe("left");
    expect(states).toEqual([true, false, true]);
    const later = vi.fn(async () => 1);
    expect(await run(later)).toBeUndefined();
    expect(later).not.toHaveBeenCalled();
  });

  it("does not set state (nor warn) once the component is unmounted", async () => {
    const error = vi.spyOn(console, "error");
    const warn = vi.spyOn(console, "warn");
    const setBusy = vi.fn();
    const { run, unmount } = busyRunner(setBusy);
    const action = deferred<void>();
    const result = run(() => action.promise);
    unmount();
    action.resolve();
    await result;
    expect(setBusy.mock.calls).toEqual([[true]]);
    expect(error).not.toHaveBeenCalled();
    expect(warn).not.toHaveBeenCalled();
  });

  it("sets state again after a remount (React's strict mode mounts twice)", async () => {
    const setBusy = vi.fn();
    const { run, mount, unmount } = busyRunner(setBusy);
    unmount();
    mount();
    await run(async () => undefined);
    expect(setBusy.mock.calls).toEqual([[true], [false]]);
  });
});
