import type { StepModule } from "./types";

function Form() {
  return null;
}

export const exit: StepModule = {
  type: "exit",
  icon: "flag",
  color: "exit",
  summary: (_s, t) => t("summary.exit"),
  Form,
};
