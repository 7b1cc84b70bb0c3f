import type { NodeTypes } from "@xyflow/react";
import { MODULES } from "./registry";
import { StepNodeComponent } from "./StepNode";

/** Module constant (never re-created per render), one entry per registered step type. */
export const nodeTypes: NodeTypes = Object.fromEntries(MODULES.map((d) => [d.type, StepNodeComponent]));
