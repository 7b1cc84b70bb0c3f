/** Pure helpers of the journeys list: status filter tabs, their counts, and what "remove" means per status. */
import type { JourneyStatus, JourneySummary } from "../api/types";

export type JourneyFilter = "all" | JourneyStatus;

/** Tab order. "all" is the default view: every journey except archived ones. */
export const JOURNEY_FILTERS: readonly JourneyFilter[] = ["all", "published", "paused", "draft", "archived"];

export function isJourneyFilter(value: unknown): value is JourneyFilter {
  return typeof value === "string" && (JOURNEY_FILTERS as readonly string[]).includes(value);
}

export function matchesFilter(journey: Pick<JourneySummary, "status">, filter: JourneyFilter): boolean {
  return filter === "all" ? journey.status !== "archived" : journey.status === filter;
}

export function filterJourneys<T extends Pick<JourneySummary, "status">>(journeys: readonly T[], filter: JourneyFilter): T[] {
  return journeys.filter((j) => matchesFilter(j, filter));
}

export function countByFilter(journeys: readonly Pick<JourneySummary, "status">[]): Record<JourneyFilter, number> {
  const counts: Record<JourneyFilter, number> = { all: 0, published: 0, paused: 0, draft: 0, archived: 0 };
  for (const j of journeys) {
    if (j.status in counts) counts[j.status] += 1;
    if (j.status !== "archived") counts.all += 1;
  }
  return counts;
}

/**
 * What DELETE /api/journeys/:id does to a journey in this status: a never-published draft is deleted,
 * a published or paused one is archived, an archived one has nothing left to remove.
 */
export function removalKind(status: JourneyStatus): "delete" | "archive" | null {
  if (status === "draft") return "delete";
  if (status === "published" || status === "paused") return "archive";
  return null;
}
