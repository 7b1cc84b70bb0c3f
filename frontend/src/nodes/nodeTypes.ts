import type { NodeTypes } from "@xyflow/react";
import { STEP_TYPES } from "./registry";
import { StepNodeComponent } from "./StepNode";

/** Module constant (never re-created per render), one entry per registered step type. */
export const nodeTypes: NodeTypes = Object.fromEntries(STEP_TYPES.map((d) => [d.type, StepNodeComponent]));
