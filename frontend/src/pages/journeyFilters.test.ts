import { describe, expect, it } from "vitest";
import type { JourneyStatus } from "../api/types";
import { countByFilter, filterJourneys, isJourneyFilter, JOURNEY_FILTERS, matchesFilter, removalKind } from "./journeyFilters";

const j = (id: number, status: JourneyStatus) => ({ id, status });
const list = [j(1, "draft"), j(2, "published"), j(3, "paused"), j(4, "archived"), j(5, "published"), j(6, "archived")];

describe("journey filters", () => {
  it("'all' hides archived journeys, the others match one status", () => {
    expect(filterJourneys(list, "all").map((x) => x.id)).toEqual([1, 2, 3, 5]);
    expect(filterJourneys(list, "published").map((x) => x.id)).toEqual([2, 5]);
    expect(filterJourneys(list, "paused").map((x) => x.id)).toEqual([3]);
    expect(filterJourneys(list, "draft").map((x) => x.id)).toEqual([1]);
    expect(filterJourneys(list, "archived").map((x) => x.id)).toEqual([4, 6]);
  });

  it("counts agree with the filter for every tab", () => {
    const counts = countByFilter(list);
    expect(counts).toEqual({ all: 4, published: 2, paused: 1, draft: 1, archived: 2 });
    for (const f of JOURNEY_FILTERS) expect(counts[f]).toBe(list.filter((x) => matchesFilter(x, f)).length);
    expect(countByFilter([])).toEqual({ all: 0, published: 0, paused: 0, draft: 0, archived: 0 });
  });

  it("recognises filter names from the URL", () => {
    expect(isJourneyFilter("archived")).toBe(true);
    expect(isJourneyFilter("deleted")).toBe(false);
    expect(isJourneyFilter(null)).toBe(false);
  });

  it("drafts are deleted, live and paused journeys archived, archived ones left alone", () => {
    expect(removalKind("draft")).toBe("delete");
    expect(removalKind("published")).toBe("archive");
    expect(removalKind("paused")).toBe("archive");
    expect(removalKind("archived")).toBeNull();
  });
});
