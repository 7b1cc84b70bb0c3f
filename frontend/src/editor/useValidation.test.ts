import { describe, expect, it } from "vitest";
import { ApiError } from "../api/client";
import { mayPass } from "./useValidation";

describe("a failed validation check", () => {
  it("is tried again when it can pass: no answer, a timeout, a busy or failing server", () => {
    for (const status of [0, 408, 429, 500, 502, 503]) expect(mayPass(new ApiError(status, "x", "x")), String(status)).toBe(true);
    expect(mayPass(new TypeError("Failed to fetch"))).toBe(true);
  });
  it("is not repeated when the server refused it", () => {
    for (const status of [400, 401, 403, 404, 409, 413, 422]) expect(mayPass(new ApiError(status, "x", "x")), String(status)).toBe(false);
  });
});
