import { afterEach, describe, expect, it, vi } from "vitest";
import { onUnauthorized, request, requestHeaders, setCsrfToken } from "./client";

describe("CSRF header", () => {
  afterEach(() => setCsrfToken(null));

  it("goes with state-changing calls only, once the session's token is known", () => {
    expect(requestHeaders("POST", true)["X-CSRF-Token"]).toBeUndefined();
    setCsrfToken("t0k3n");
    expect(requestHeaders("POST", true)["X-CSRF-Token"]).toBe("t0k3n");
    expect(requestHeaders("PUT", true)["X-CSRF-Token"]).toBe("t0k3n");
    expect(requestHeaders("DELETE", false)["X-CSRF-Token"]).toBe("t0k3n");
    expect(requestHeaders("GET", false)["X-CSRF-Token"]).toBeUndefined();
  });
});

describe("a 401", () => {
  afterEach(() => {
    onUnauthorized(null);
    vi.unstubAllGlobals();
  });

  function answering(status: number, body: unknown): typeof fetch {
    return (async () => new Response(JSON.stringify(body), { status })) as typeof fetch;
  }

  it("tells the app to show the sign-in page, with the reason", async () => {
    const reasons: (string | null)[] = [];
    onUnauthorized((reason) => reasons.push(reason));
    vi.stubGlobal("fetch", answering(401, { error: "unauthorized", message: "x", reason: "expired" }));
    await expect(request("GET", "/api/journeys")).rejects.toMatchObject({ status: 401 });
    expect(reasons).toEqual(["expired"]);
  });

  it("of the sign-in itself is a wrong password, not a signed-out app", async () => {
    const reasons: (string | null)[] = [];
    onUnauthorized((reason) => reasons.push(reason));
    vi.stubGlobal("fetch", answering(401, { error: "unauthorized", message: "x" }));
    await expect(request("POST", "/api/session", { email: "a", password: "b" })).rejects.toMatchObject({
      status: 401,
    });
    expect(reasons).toEqual([]);
  });
});
