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

export function ConflictBanner(props: { busy: boolean; onReload: () => void; onKeepCopy: () => void }) {
  const t = useT();
  return (
    <div className="banner banner-warning" data-testid="conflict-banner" role="alert">
      <Icon name="alert" size={16} />
      <div className="banner-text">{t("editor.conflict")}</div>
      <div className="banner-actions">
        <button type="button" className="btn btn-sm btn-secondary" data-testid="conflict-reload-button" disabled={props.busy} onClick={props.onReload}>
          <Icon name="refresh" size={14} />
          {t("editor.conflictReload")}
        </button>
        <button type="button" className="btn btn-sm btn-primary" data-testid="conflict-copy-button" disabled={props.busy} onClick={props.onKeepCopy}>
          <Icon name="copy" size={14} />
          {t("editor.conflictCopy")}
        </button>
      </div>
    </div>
  );
}
