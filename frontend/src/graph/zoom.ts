/** Semantic zoom: below FAR_ZOOM the 12 px text is unreadable, so nodes and edge labels switch to a form with
 * the name and the key number large. A selector for xyflow's useStore (re-renders only when crossing it). */
export const FAR_ZOOM = 0.75;

export const isFar = (s: { transform: [number, number, number] }) => s.transform[2] < FAR_ZOOM;
