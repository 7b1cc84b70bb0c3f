import { afterEach, describe, expect, it, vi } from "vitest";
import { ApiError, BUSY_RETRIES, DEFAULT_TIMEOUT_MS, request } from "./client";

/** A fetch that never answers, like a hung API behind a proxy; it gives up only when its signal aborts. */
function hangingFetch(): typeof fetch {
  return ((_url: RequestInfo | URL, init?: RequestInit) =>
    new Promise((_resolve, reject) => {
      init?.signal?.addEventListener("abort", () => reject(new DOMException("aborted", "AbortError")));
    })) as typeof fetch;
}

describe("request timeout", () => {
  afterEach(() => {
    vi.useRealTimers();
    vi.unstubAllGlobals();
  });

  it("leaves a page time to show its error within 15 s", () => {
    expect(DEFAULT_TIMEOUT_MS).toBeLessThanOrEqual(10_000);
  });

  it("aborts a request that gets no answer and says so", async () => {
    vi.useFakeTimers();
    vi.stubGlobal("fetch", hangingFetch());
    const pending = request("GET", "/api/journeys");
    const outcome = pending.then(
      () => "answered",
      (err: unknown) => err,
    );
    await vi.advanceTimersByTimeAsync(DEFAULT_TIMEOUT_MS - 1);
    let settled = false;
    void outcome.then(() => (settled = true));
    await Promise.resolve();
    expect(settled).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    const err = await outcome;
    expect(err).toBeInstanceOf(ApiError);
    expect((err as ApiError).code).toBe("timeout");
  });
});

/** A fetch that answers 503 database_busy `busy` times, then 200 with `{ ok: true }`; counts its calls. */
function busyThenOk(busy: number) {
  const calls: string[] = [];
  const fetcher = ((url: RequestInfo | URL, init?: RequestInit) => {
    calls.push(`${init?.method ?? "GET"} ${String(url)}`);
    const body = calls.length <= busy ? { error: "database_busy", message: "busy" } : { ok: true };
    const status = calls.length <= busy ? 503 : 200;
    return Promise.resolve(new Response(JSON.stringify(body), { status, headers: { "Retry-After": "2" } }));
  }) as typeof fetch;
  return { calls, fetcher };
}

describe("a busy database", () => {
  afterEach(() => {
    vi.useRealTimers();
    vi.unstubAllGlobals();
  });

  it("repeats a read after Retry-After, and answers", async () => {
    vi.useFakeTimers();
    const { calls, fetcher } = busyThenOk(2);
    vi.stubGlobal("fetch", fetcher);
    const pending = request<{ ok: boolean }>("GET", "/api/journeys");
    await vi.advanceTimersByTimeAsync(4000);
    await expect(pending).resolves.toEqual({ ok: true });
    expect(calls).toHaveLength(3);
  });

  it("gives up after BUSY_RETRIES and shows the error", async () => {
    vi.useFakeTimers();
    const { calls, fetcher } = busyThenOk(BUSY_RETRIES + 1);
    vi.stubGlobal("fetch", fetcher);
    const outcome = request("PUT", "/api/journeys/1", {}).catch((err: unknown) => err);
    await vi.advanceTimersByTimeAsync(10_000);
    const err = await outcome;
    expect((err as ApiError).code).toBe("database_busy");
    expect(calls).toHaveLength(BUSY_RETRIES + 1);
  });

  it("never repeats a POST unless the call says it only writes the database", async () => {
    vi.useFakeTimers();
    const plain = busyThenOk(1);
    vi.stubGlobal("fetch", plain.fetcher);
    const err = await request("POST", "/api/email/test", {}).catch((e: unknown) => e);
    expect((err as ApiError).status).toBe(503);
    expect(plain.calls).toHaveLength(1);

    const safe = busyThenOk(1);
    vi.stubGlobal("fetch", safe.fetcher);
    const pending = request("POST", "/api/journeys", { name: "x" }, { retryBusy: true });
    await vi.advanceTimersByTimeAsync(2000);
    await expect(pending).resolves.toEqual({ ok: true });
    expect(safe.calls).toHaveLength(2);
  });
});
