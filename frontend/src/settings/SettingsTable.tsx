/** The settings tabs' lists (channel accounts, API keys, members, invitations): a card holding a table whose head
 * names the columns, the last one holding each row's actions (named for screen readers only); or, when `empty` is
 * given, that note in the card instead. The rows are the caller's. */
import type { ReactNode } from "react";

interface Props {
  testId: string;
  columns: string[];
  /** The actions column's name, read by screen readers. */
  actions: string;
  actionsClassName?: string;
  className?: string;
  labelledBy?: string;
  empty?: ReactNode;
  children: ReactNode;
}

export function SettingsTable(p: Props) {
  return (
    <div className="card table-card">
      {p.empty ?? (
        <table className={`table${p.className ? ` ${p.className}` : ""}`} data-testid={p.testId} aria-labelledby={p.labelledBy}>
          <thead>
            <tr>
              {p.columns.map((c) => (
                <th key={c} scope="col">
                  {c}
                </th>
              ))}
              <th scope="col" className={p.actionsClassName}>
                <span className="sr-only">{p.actions}</span>
              </th>
            </tr>
          </thead>
          <tbody>{p.children}</tbody>
        </table>
      )}
    </div>
  );
}
