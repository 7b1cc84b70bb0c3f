/** The toolbar's journey actions (save, publish, pause/resume, check, demo traffic, keep a copy after a
 * conflict), each reporting its outcome in a toast. */
import { useCallback, type MutableRefObject } from "react";
import { useNavigate } from "react-router-dom";
import { api } from "../api/client";
import { useToast } from "../components/Toast";
import { bySeverity } from "../graph/problems";
import { useI18n } from "../i18n";
import { translateApiError } from "../i18n/errors";
import type { useJourneyDoc } from "./useJourneyDoc";
import type { useValidation } from "./useValidation";

export function useJourneyActions({
  doc,
  validation,
  markAttempted,
  leaving,
}: {
  doc: ReturnType<typeof useJourneyDoc>;
  validation: ReturnType<typeof useValidation>;
  /** Called when a publish or a check is attempted (problems turn loud). */
  markAttempted: () => void;
  /** Set before navigating away on purpose (the leave guard lets it through). */
  leaving: MutableRefObject<boolean>;
}) {
  const { t, lang } = useI18n();
  const toast = useToast();
  const navigate = useNavigate();
  const fail = useCallback((err: unknown) => toast("error", translateApiError(err, t)), [toast, t]);

  const save = useCallback(async () => {
    try {
      if (await doc.save()) toast("success", t("editor.savedToast"));
    } catch (err) {
      fail(err);
    }
  }, [doc, toast, t, fail]);

  const publish = useCallback(async () => {
    markAttempted();
    try {
      const res = await doc.publish();
      if (res.ok) toast("success", t("editor.published"));
      else if (res.errors) {
        validation.applyErrors(res.errors);
        toast("error", t("editor.publishBlocked"));
      }
    } catch (err) {
      fail(err);
    }
  }, [doc, validation, toast, t, fail, markAttempted]);

  const lifecycle = useCallback(
    async (action: "pause" | "resume") => {
      try {
        await doc.lifecycle(action);
        toast("success", t(action === "pause" ? "editor.paused" : "editor.resumed"));
      } catch (err) {
        fail(err);
      }
    },
    [doc, toast, t, fail],
  );

  const validate = useCallback(async () => {
    markAttempted();
    const found = await validation.validateNow();
    const errors = found === null ? null : bySeverity(found).errors;
    if (errors === null) fail(new Error("validate"));
    else if (errors.length === 0) toast("success", t("editor.valid"));
    else toast("error", errors.length === 1 ? t("editor.invalidOne") : t("editor.invalid", { n: errors.length }));
  }, [validation, toast, t, fail, markAttempted]);

  const demo = useCallback(async () => {
    try {
      const res = await api.demoTraffic(20, lang); // product names in the language the marketer reads
      toast("success", t("editor.demoTrafficSent", { n: res?.events ?? 0 }));
    } catch (err) {
      fail(err);
    }
  }, [toast, t, fail, lang]);

  const keepCopy = useCallback(async () => {
    try {
      const copy = await doc.keepCopy(t("editor.copyName", { name: doc.name.trim() || doc.journey?.name || "" }));
      if (!copy) return;
      toast("success", t("editor.copyCreated", { name: copy.name }));
      leaving.current = true;
      navigate(`/journeys/${copy.id}`);
    } catch (err) {
      fail(err);
    }
  }, [doc, t, toast, navigate, fail, leaving]);

  return { save, publish, lifecycle, validate, demo, keepCopy };
}
