import { useState } from "react";
import { useI18n } from "../i18n";
import { translateApiError } from "../i18n/errors";
import { useToast } from "./Toast";
import { useBusyAction } from "./useBusyAction";

/** An action on one row of a list that a ConfirmDialog asks about first (revoke a key, delete a channel account,
 * delete or archive a journey). `ask(row)` opens the dialog; `confirm()` runs `act` once, then toasts `done(row)`,
 * closes the dialog and reads the list again; a failure toasts the API's reason and leaves the dialog open. */
export function useConfirmedAction<T>(act: (row: T) => Promise<unknown>, done: (row: T) => string, reload: () => Promise<void>) {
  const { t } = useI18n();
  const toast = useToast();
  const [row, setRow] = useState<T | null>(null);
  const { busy, run } = useBusyAction();
  const confirm = async () => {
    if (row == null) return;
    await run(
      async () => {
        await act(row);
        toast("success", done(row));
        setRow(null);
        await reload();
      },
      { onError: (err) => toast("error", translateApiError(err, t)) },
    );
  };
  const cancel = () => setRow(null);
  /** The ConfirmDialog's busy, onConfirm and onCancel. */
  const dialog = { busy, onConfirm: () => void confirm(), onCancel: cancel };
  return { row, ask: setRow, cancel, busy, confirm, dialog };
}
