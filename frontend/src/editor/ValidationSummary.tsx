/** Banners above the canvas: journey-level validation errors and save conflicts. */
import type { LocatedError } from "../api/types";
import { Icon } from "../components/Icon";
import { useT } from "../i18n";
import { translateLocatedError } from "../i18n/errors";

export function ValidationSummary({ general, total, checked }: { general: LocatedError[]; total: number; checked: boolean }) {
  const t = useT();
  if (!checked || total === 0) return null;
  return (
    <div className="banner banner-error" data-testid="validation-summary" role="alert" data-count={total}>
      <Icon name="alert" size={16} />
      <div>
        <strong>{total === 1 ? t("editor.invalidOne") : t("editor.invalid", { n: total })}</strong>
        {general.length > 0 && (
          <ul>
            {general.map((e, i) => (
              <li key={i} data-code={e.code}>
                {translateLocatedError(e, t)}
              </li>
            ))}
          </ul>
        )}
      </div>
    </div>
  );
}

export function ConflictBanner(props: { revision: number | null; onReload: () => void; onOverwrite: () => void }) {
  const t = useT();
  return (
    <div className="banner banner-warning" data-testid="conflict-banner" role="alert">
      <Icon name="alert" size={16} />
      <div className="banner-text">{t("editor.conflict", { rev: props.revision ?? "?" })}</div>
      <div className="banner-actions">
        <button type="button" className="btn btn-sm btn-secondary" data-testid="conflict-reload-button" onClick={props.onReload}>
          <Icon name="refresh" size={14} />
          {t("editor.conflictReload")}
        </button>
        {props.revision !== null && (
          <button type="button" className="btn btn-sm btn-ghost" data-testid="conflict-overwrite-button" onClick={props.onOverwrite}>
            {t("editor.conflictOverwrite")}
          </button>
        )}
      </div>
    </div>
  );
}
