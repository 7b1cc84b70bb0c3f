import type { StepDefinition } from "./types";

function Form() {
  return null;
}

export const exit: StepDefinition = {
  type: "exit",
  icon: "flag",
  color: "exit",
  summary: (_s, t) => t("summary.exit"),
  Form,
};
