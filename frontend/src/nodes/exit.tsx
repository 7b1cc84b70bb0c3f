import type { StepDefinition } from "./types";

function Form() {
  return null;
}

export const exit: StepDefinition = {
  type: "exit",
  group: "end",
  icon: "flag",
  color: "exit",
  outputs: [],
  hasInput: true,
  defaultSettings: () => ({}),
  summary: (_s, t) => t("summary.exit"),
  Form,
};
