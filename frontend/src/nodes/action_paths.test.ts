import { describe, expect, it } from "vitest";
import { makeT } from "../i18n";
import { translateLocatedError } from "../i18n/errors";
import { fieldTestId } from "../graph/problems";
import { asPaths, movePath, newPath } from "./action_paths";
import { getStep, nodeOutputName, outputLabel } from "./registry";
import { useBackendManifest } from "./testManifest";

useBackendManifest();
const t = makeT("en");
const zh = makeT("zh-TW");

const coupon = {
  paths: [
    { id: "path_2", label: "婉拒", event: "coupon_reply", filters: [{ property: "answer", op: "eq", value: "decline" }], same_as_trigger: [] },
    { id: "path_1", label: "接受", event: "coupon_reply", filters: [{ property: "answer", op: "eq", value: "accept" }], same_as_trigger: ["coupon_id"] },
    { id: "path_3", label: "", event: "coupon_reply", filters: [], same_as_trigger: [] },
  ],
  timeout_amount: 2,
  timeout_unit: "days",
};

describe("action paths", () => {
  it("has one output per path, by id in the marketer's order, then Timed out, named by the path", () => {
    const d = getStep("action_paths")!;
    const outputs = d.outputs(coupon);
    expect(outputs.map((o) => [o.id, o.tone])).toEqual([
      ["path_2", "branch"],
      ["path_1", "branch"],
      ["path_3", "branch"],
      ["timed_out", "timeout"],
    ]);
    // Edge and handle names: the typed name, an unnamed path by its place, never its id; Timed out translated.
    expect(outputs.map((o) => outputLabel(d, o, coupon, zh))).toEqual(["婉拒", "接受", "路徑 3", "逾時"]);
    expect(outputs.map((o) => outputLabel(d, o, coupon, t))).toEqual(["婉拒", "接受", "Path 3", "Timed out"]);
  });

  it("reorders and renames without changing ids, and gives a new path an unused id", () => {
    const paths = asPaths(coupon.paths);
    expect(movePath(paths, 2, 0).map((p) => p.id)).toEqual(["path_3", "path_2", "path_1"]);
    expect(movePath(paths, 0, 1).map((p) => p.id)).toEqual(["path_1", "path_2", "path_3"]);
    expect(movePath(paths, 0, -1)).toBe(paths);
    expect(movePath(paths, 2, 3)).toBe(paths);
    expect(newPath(paths)).toEqual({ id: "path_4", label: "", event: "", filters: [], same_as_trigger: [] });
    expect(newPath([{ id: "path_2" }]).id).toBe("path_1");
    expect(asPaths("garbage")).toEqual([]);
  });

  it("summarises in both languages, and says when it is not ready", () => {
    const d = getStep("action_paths")!;
    expect(d.summary(coupon, t)).toBe("3 paths · up to 2 days");
    expect(d.summary({ ...coupon, timeout_amount: null }, zh)).toBe("3 條路徑 · 請設定時限");
    expect(d.summary(d.defaultSettings(), t)).toBe(t("summary.incomplete"));
  });

  it("locates and translates a path's problems: field, focus target and the unconnected output's name", () => {
    const base = { node_id: "r", edge_id: null };
    const noEvent = { ...base, code: "invalid_settings", field: "paths.1.event", message: "paths.1.event: Choose the event this path waits for" };
    expect(translateLocatedError(noEvent, t)).toBe("“Path 2 · Event name” needs a value.");
    expect(translateLocatedError(noEvent, zh)).toContain("路徑 2");
    const dup = { ...base, code: "duplicate_path_name", field: "paths.2.label", message: "Path 1 already has this name" };
    expect(translateLocatedError(dup, zh)).toBe("有兩條路徑同名，請改成不同的名稱。");
    const open = { ...base, code: "handle_unconnected", field: "path_2", message: "Connect the '婉拒' output" };
    expect(translateLocatedError(open, zh)).toBe("請把「婉拒」出口連到下一個步驟。");
    expect(translateLocatedError({ ...open, field: "timed_out", message: "Connect the 'timed_out' output" }, t)).toContain("Timed out");
    expect(fieldTestId("paths.1.event")).toBe("setting-path-1-event");
    expect(fieldTestId("paths.0.label")).toBe("path-0-label");
    expect(fieldTestId("paths.0.filters.1.value")).toBe("path-0-filter-1-value");
  });
});

describe("an unconnected path output", () => {
  it("is named as the canvas names it, an unnamed one by its place", () => {
    const node = { type: "action_paths", data: { settings: coupon } };
    const err = { node_id: "r", edge_id: null, code: "handle_unconnected", field: "path_3", message: "Connect the 'path_3' output" };
    const outputName = (h: string) => nodeOutputName(node, h, zh);
    expect(translateLocatedError(err, zh, { outputName })).toBe("請把「路徑 3」出口連到下一個步驟。");
    expect(translateLocatedError({ ...err, field: "path_1", message: "Connect the '接受' output" }, t, { outputName })).toBe("Connect the “接受” output to a next step.");
    expect(nodeOutputName(node, "nope", t)).toBeNull();
    expect(nodeOutputName({ type: "no_such_type" }, "next", t)).toBeNull();
  });
});
