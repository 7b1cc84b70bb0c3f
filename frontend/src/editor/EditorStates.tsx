/** The editor page while the step manifest or the journey loads, and when either could not be loaded. */
import { Link } from "react-router-dom";
import { Icon } from "../components/Icon";
import { useT } from "../i18n";
import { translateApiError } from "../i18n/errors";

/** The editor page while the step manifest or the journey loads. */
export function EditorLoading() {
  const t = useT();
  return (
    <div className="page-center" data-testid="editor-page" data-state="loading">
      <div className="spinner" aria-label={t("common.loading")} />
    </div>
  );
}

/** The editor page when the step manifest or the journey could not be loaded: the reason and a retry (and,
 * with `back`, a link to the journeys list). */
export function EditorLoadError({ error, onRetry, back = false }: { error: unknown; onRetry: () => void; back?: boolean }) {
  const t = useT();
  const retry = (
    <button type="button" className="btn btn-primary" data-testid="retry-button" onClick={onRetry}>
      {t("common.retry")}
    </button>
  );
  return (
    <div className="page-center" data-testid="editor-page" data-state="error">
      <div className="empty-state" role="alert">
        <div className="empty-icon">
          <Icon name="alert" size={26} />
        </div>
        <h2>{t("editor.loadError")}</h2>
        <p>{translateApiError(error, t)}</p>
        {back ? (
          <div className="row-gap">
            <Link className="btn btn-secondary" to="/" data-testid="back-link">
              {t("editor.back")}
            </Link>
            {retry}
          </div>
        ) : (
          retry
        )}
      </div>
    </div>
  );
}
