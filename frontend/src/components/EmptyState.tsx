import type { ReactNode } from "react";
import { Icon, type IconName } from "./Icon";

export function EmptyState(props: { icon: IconName; title: string; body: string; action?: ReactNode; testId?: string }) {
  return (
    <div className="empty-state" data-testid={props.testId}>
      <div className="empty-icon">
        <Icon name={props.icon} size={26} />
      </div>
      <h2>{props.title}</h2>
      <p>{props.body}</p>
      {props.action}
    </div>
  );
}
