/** A settings section's head: its title (the `id` a section's aria-labelledby points at), a line under it, and
 * the section's main action (children) on the right. */
import type { ReactNode } from "react";

export function SectionHead({ id, title, subtitle, children }: { id: string; title: ReactNode; subtitle: ReactNode; children?: ReactNode }) {
  return (
    <div className="section-head">
      <div>
        <h2 id={id}>{title}</h2>
        <p className="muted">{subtitle}</p>
      </div>
      {children}
    </div>
  );
}
