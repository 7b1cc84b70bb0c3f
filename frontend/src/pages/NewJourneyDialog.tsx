/** "New journey": a name and where to start — a blank canvas or a ready-made journey of the gallery (the S1–S8
 * playbooks, in the interface's language); creates the draft and opens the editor. */
import { useEffect, useRef, useState, type FormEvent } from "react";
import { useNavigate } from "react-router-dom";
import { api } from "../api/client";
import type { JourneyTemplate } from "../api/types";
import { Modal } from "../components/Modal";
import { useBusyAction } from "../components/useBusyAction";
import { useI18n } from "../i18n";
import { translateApiError } from "../i18n/errors";
import { TemplateGallery } from "./TemplateGallery";
import { BLANK, nameAfterChoice } from "./templateGallery";

type Loading = "loading" | "ready" | "failed";

export function NewJourneyDialog({ onClose }: { onClose: () => void }) {
  const { t, lang } = useI18n();
  const navigate = useNavigate();
  const [name, setName] = useState("");
  const [prefilled, setPrefilled] = useState("");
  const [choice, setChoice] = useState(BLANK);
  const [templates, setTemplates] = useState<JourneyTemplate[]>([]);
  const [loading, setLoading] = useState<Loading>("loading");
  const { busy, run } = useBusyAction();
  const [error, setError] = useState<string | null>(null);
  const input = useRef<HTMLInputElement>(null);

  useEffect(() => {
    let current = true;
    setLoading("loading");
    api
      .listJourneyTemplates(lang)
      .then((listed) => {
        if (!current) return;
        setTemplates(listed);
        setLoading("ready");
      })
      .catch(() => current && setLoading("failed"));
    return () => {
      current = false;
    };
  }, [lang]);

  const choose = (key: string) => {
    setChoice(key);
    const next = nameAfterChoice(name, prefilled, key, templates);
    setName(next.name);
    setPrefilled(next.prefilled);
  };

  const fromTemplate = choice !== BLANK;
  const canCreate = (fromTemplate || name.trim() !== "") && !busy;

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!canCreate) return;
    // Stays busy after a success, while the editor opens: a second press would make a second journey.
    await run(
      async () => {
        setError(null);
        const j = fromTemplate
          ? await api.createJourneyFromTemplate(choice, lang, name.trim() || undefined)
          : await api.createJourney(name.trim());
        navigate(`/journeys/${j.id}`);
      },
      { onError: (err) => setError(translateApiError(err, t)), keepBusyOnSuccess: true },
    );
  };

  return (
    <Modal wide testId="new-journey-dialog" title={t("newJourney.title")} closeTestId="new-journey-close" onClose={onClose} initialFocus={input} onSubmit={submit}>
      <div className="modal-scroll">
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
          <div className="field-hint">{fromTemplate ? t("newJourney.templateHint") : t("newJourney.hint")}</div>
          {error && (
            <div className="field-error" role="alert">
              {error}
            </div>
          )}
        </div>
        <h3 className="template-heading" id="new-journey-start">
          {t("newJourney.startFrom")}
        </h3>
        <TemplateGallery templates={templates} selected={choice} onSelect={choose} t={t} labelledBy="new-journey-start" />
        {loading === "loading" && (
          <p className="field-hint" role="status" data-testid="templates-loading">
            {t("newJourney.loadingTemplates")}
          </p>
        )}
        {loading === "failed" && (
          <p className="field-hint" role="status" data-testid="templates-failed">
            {t("newJourney.templatesFailed")}
          </p>
        )}
      </div>
      <footer className="modal-foot">
        <button type="button" className="btn btn-ghost" data-testid="new-journey-cancel" onClick={onClose}>
          {t("common.cancel")}
        </button>
        <button type="submit" className="btn btn-primary" data-testid="new-journey-create" disabled={!canCreate}>
          {busy ? t("newJourney.creating") : t("newJourney.create")}
        </button>
      </footer>
    </Modal>
  );
}
