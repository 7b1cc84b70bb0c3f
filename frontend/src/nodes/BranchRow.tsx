/** The parts every branches editor shares (random split, split by attribute): a branch's row and the add button. */
import type { ReactNode } from "react";
import { Icon } from "../components/Icon";
import type { TFunction } from "../i18n";

/** Branch `index` of `count`: its colour dot, its name, the branch's own control (`children`: a share, a list of
 * values) and a remove button, disabled while only `min` branches are left. */
export function BranchRow({
  index: i,
  count,
  min,
  className,
  label,
  placeholder,
  t,
  onLabel,
  onRemove,
  children,
}: {
  index: number;
  count: number;
  min: number;
  className?: string;
  label: string;
  placeholder: string;
  t: TFunction;
  onLabel: (label: string) => void;
  onRemove: () => void;
  children: ReactNode;
}) {
  return (
    <div className={`branch-row${className ? ` ${className}` : ""}`} role="group" aria-label={t("branch.row", { n: i + 1 })} data-testid={`branch-${i}`}>
      <span className={`branch-dot tone-branch branch-${i % 10}`} aria-hidden="true" />
      <input
        type="text"
        data-testid={`branch-${i}-label`}
        aria-label={`${t("branch.row", { n: i + 1 })}: ${t("branch.name")}`}
        placeholder={placeholder}
        maxLength={60}
        value={label}
        onChange={(e) => onLabel(e.target.value)}
      />
      {children}
      <button
        type="button"
        className="icon-btn ghost"
        data-testid={`branch-${i}-remove`}
        aria-label={t("branch.remove", { n: i + 1 })}
        title={count <= min ? t("branch.minReached", { n: min }) : t("branch.remove", { n: i + 1 })}
        disabled={count <= min}
        onClick={onRemove}
      >
        <Icon name="x" size={14} />
      </button>
    </div>
  );
}

/** Adds a branch, disabled once there are `max`. */
export function AddBranchButton({ count, max, t, onClick }: { count: number; max: number; t: TFunction; onClick: () => void }) {
  return (
    <button
      type="button"
      className="btn btn-sm btn-secondary"
      data-testid="add-branch-button"
      disabled={count >= max}
      title={count >= max ? t("branch.maxReached", { n: max }) : undefined}
      onClick={onClick}
    >
      <Icon name="plus" size={14} />
      {t("branch.add")}
    </button>
  );
}
