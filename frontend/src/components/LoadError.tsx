/** A list that could not load: the API's reason in the reader's language and a Retry button. */
import { useI18n } from "../i18n";
import { translateApiError } from "../i18n/errors";
import { Icon } from "./Icon";

export function LoadError({ error, onRetry, testId }: { error: unknown; onRetry: () => void; testId: string }) {
  const { t } = useI18n();
  return (
    <div className="banner banner-error" role="alert" data-testid={`${testId}-error`}>
      <Icon name="alert" size={16} />
      <div className="banner-text">{translateApiError(error, t)}</div>
      <div className="banner-actions">
        <button type="button" className="btn btn-sm btn-secondary" data-testid={`${testId}-retry`} onClick={onRetry}>
          <Icon name="refresh" size={14} />
          {t("common.retry")}
        </button>
      </div>
    </div>
  );
}
