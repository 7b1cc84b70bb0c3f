/** Small modal asking for a name; creates the journey and opens the editor. */
import { useEffect, useRef, useState, type FormEvent } from "react";
import { useNavigate } from "react-router-dom";
import { api } from "../api/client";
import { Icon } from "../components/Icon";
import { useT } from "../i18n";
import { translateApiError } from "../i18n/errors";

export function NewJourneyDialog({ onClose }: { onClose: () => void }) {
  const t = useT();
  const navigate = useNavigate();
  const [name, setName] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const input = useRef<HTMLInputElement>(null);

  useEffect(() => {
    input.current?.focus();
    const onKey = (e: KeyboardEvent) => e.key === "Escape" && onClose();
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [onClose]);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!name.trim() || busy) return;
    setBusy(true);
    setError(null);
    try {
      const j = await api.createJourney(name.trim());
      navigate(`/journeys/${j.id}`);
    } catch (err) {
      setError(translateApiError(err, t));
      setBusy(false);
    }
  };

  return (
    <div className="modal-backdrop" onMouseDown={(e) => e.target === e.currentTarget && onClose()}>
      <form className="modal" role="dialog" aria-modal="true" aria-labelledby="new-journey-title" data-testid="new-journey-dialog" onSubmit={submit}>
        <header className="modal-head">
          <h2 id="new-journey-title">{t("newJourney.title")}</h2>
          <button type="button" className="icon-btn ghost" aria-label={t("common.close")} data-testid="new-journey-close" onClick={onClose}>
            <Icon name="x" size={16} />
          </button>
        </header>
        <div className="field">
          <label htmlFor="new-journey-name">{t("newJourney.name")}</label>
          <input
            id="new-journey-name"
            ref={input}
            data-testid="new-journey-name"
            value={name}
            maxLength={200}
            placeholder={t("newJourney.placeholder")}
            onChange={(e) => setName(e.target.value)}
          />
          <div className="field-hint">{t("newJourney.hint")}</div>
          {error && (
            <div className="field-error" role="alert">
              {error}
            </div>
          )}
        </div>
        <footer className="modal-foot">
          <button type="button" className="btn btn-ghost" data-testid="new-journey-cancel" onClick={onClose}>
            {t("common.cancel")}
          </button>
          <button type="submit" className="btn btn-primary" data-testid="new-journey-create" disabled={!name.trim() || busy}>
            {busy ? t("newJourney.creating") : t("newJourney.create")}
          </button>
        </footer>
      </form>
    </div>
  );
}
