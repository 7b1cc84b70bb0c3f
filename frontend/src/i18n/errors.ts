/** Turns backend error codes into translated text, falling back to the server's English message. */
import { ApiError } from "../api/client";
import type { LocatedError } from "../api/types";
import { hasKey, type MessageKey, type TFunction } from "./index";

function fieldName(field: string | null, t: TFunction): string {
  if (!field) return "";
  const row = /^filters\.(\d+)\.(\w+)$/.exec(field);
  if (row) {
    const part = hasKey(`field.${row[2]}`) ? t(`field.${row[2]}` as MessageKey) : row[2];
    return `${t("filter.row", { n: Number(row[1]) + 1 })} · ${part}`;
  }
  const key = `field.${field}`;
  if (hasKey(key)) return t(key);
  const handleKey = `handle.${field}`;
  if (hasKey(handleKey)) return t(handleKey);
  return field;
}

export function translateLocatedError(err: LocatedError, t: TFunction): string {
  const key = `errors.${err.code}`;
  if (hasKey(key)) {
    if (err.code === "invalid_settings" && !err.field) return err.message;
    return t(key, { field: fieldName(err.field, t) });
  }
  return err.message;
}

export function translateApiError(err: unknown, t: TFunction): string {
  if (err instanceof ApiError) {
    const key = `errors.${err.code}`;
    if ((err.code === "network_error" || err.code === "timeout") && hasKey(key)) return t(key);
    return err.message || t("errors.generic", { message: err.code });
  }
  return t("errors.generic", { message: err instanceof Error ? err.message : String(err) });
}
