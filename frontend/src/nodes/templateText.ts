/** Marketer-facing text for templates: `{{ customer.first_name | default('there') }}` reads "‹First name›". Pure. */
import { hasKey, type MessageKey, type TFunction } from "../i18n";

/** The personalisation fields offered in the "Insert field" menu, in menu order. */
export const PERSONAL_FIELDS = [
  "customer.first_name",
  "customer.last_name",
  "customer.email",
  "customer.city",
  "event.product",
  "event.total",
] as const;

export function fieldLabel(path: string, t: TFunction): string {
  const key = `var.${path}`;
  if (hasKey(key)) return t(key as MessageKey);
  const [scope, name] = path.split(".", 2);
  return scope === "event" ? t("var.eventOther", { name: name ?? path }) : (name ?? path).replace(/_/g, " ");
}

/** The `{{ … }}` to insert for a field. */
export const placeholder = (path: string) => `{{ ${path} }}`;

const EXPR = /\{\{\s*((?:customer|event)\.[A-Za-z_][\w]*)[^}]*\}\}/g;
const OTHER = /\{\{[^}]*\}\}|\{%[^%]*%\}/g;

/** Replace personalisation with readable chips and any other template code with "…"; strip HTML tags. */
export function readableTemplate(text: string, t: TFunction): string {
  return text
    .replace(EXPR, (_m, path: string) => `‹${fieldLabel(path, t)}›`)
    .replace(OTHER, "…")
    .replace(/<[^>]*>/g, " ")
    .replace(/\s+/g, " ")
    .trim();
}
