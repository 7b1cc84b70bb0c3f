/** The audience filter every trigger carries: customers matching all / any of some conditions — an attribute
 * ("city equals Kaohsiung"), events in a window ("did purchase at least 2 times in the last 30 days", or
 * did not) or a tag ("has oily skin with weight at least 3", or does not). Shape and enums from the manifest's `audience` schema (the backend's one filter model). */
import type { ReactNode } from "react";
import { Icon } from "../components/Icon";
import type { MessageKey, TFunction } from "../i18n";
import { parseWhole } from "./fields";
import { OpValueInputs } from "./FilterRows";
import { defaultAt, enumAt, type JsonSchema } from "./manifest";
import { str, type Settings } from "./types";

interface Condition {
  kind: string;
  attribute?: string;
  op?: string;
  value?: unknown;
  event?: string;
  days?: number;
  min_count?: number;
  negate?: boolean;
  tag?: string;
  min_weight?: number | null;
}
interface Audience {
  match: string;
  conditions: Condition[];
}

function asAudience(v: unknown): Audience | null {
  if (!v || typeof v !== "object") return null;
  const a = v as Record<string, unknown>;
  return { match: str(a.match) || "all", conditions: Array.isArray(a.conditions) ? (a.conditions as Condition[]) : [] };
}

/** "Everyone" or "2 conditions (all)", for trigger summaries. */
export function audienceText(v: unknown, t: TFunction): string {
  const a = asAudience(v);
  const n = a?.conditions.length ?? 0;
  if (!n) return t("audience.everyone");
  return t(a!.match === "any" ? "audience.summaryAny" : "audience.summaryAll", { n });
}

/** A whole number ≥ `min` typed into a condition: text that is not one is marked invalid and not passed on. Empty
 * is passed on as null only when `optional` (the placeholder says what empty means, e.g. "any"). */
function WholeInput(
  p: { value: number | null | undefined; label: string; testId: string; min: number } & (
    | { optional: true; placeholder: string; onChange: (v: number | null) => void }
    | { optional?: false; placeholder?: undefined; onChange: (v: number) => void }
  ),
) {
  return (
    <input
      type="text"
      inputMode="numeric"
      className="mini-number"
      data-testid={p.testId}
      aria-label={p.label}
      placeholder={p.placeholder}
      defaultValue={p.value ?? ""}
      onChange={(e) => {
        const parsed = parseWhole(e.target.value, p.min);
        e.target.setAttribute("aria-invalid", parsed.problem ? "true" : "false");
        if (parsed.problem) return;
        if (p.optional) p.onChange(parsed.value);
        else if (parsed.value !== null) p.onChange(parsed.value);
      }}
    />
  );
}

/** The words of a negated row's select: its name for screen readers, the positive choice (value, label) and the
 * negative one (value "not"). */
interface NegateLabels {
  select: MessageKey;
  yes: { value: string; label: MessageKey };
  no: MessageKey;
}
const TAG_LABELS: NegateLabels = { select: "audience.hasLabel", yes: { value: "has", label: "audience.has" }, no: "audience.hasNot" };
const EVENT_LABELS: NegateLabels = { select: "audience.didLabel", yes: { value: "did", label: "audience.did" }, no: "audience.didNot" };

/** A tag or an event condition: "has / does not have" (or "did / did not"), the tag's or the event's name, then the
 * row's own words and numbers (`children`). The two kinds differ only in these labels and the name's field. */
function NegatedNameRow({
  i,
  field,
  name,
  negate,
  labels,
  className,
  t,
  onChange,
  children,
}: {
  i: number;
  field: "tag" | "event";
  name: string;
  negate: boolean;
  labels: NegateLabels;
  className: string;
  t: TFunction;
  onChange: (patch: Partial<Condition>) => void;
  children: ReactNode;
}) {
  const row = t("audience.row", { n: i + 1 });
  return (
    <div className={className}>
      <select
        data-testid={`audience-${i}-negate`}
        aria-label={`${row}: ${t(labels.select)}`}
        value={negate ? "not" : labels.yes.value}
        onChange={(e) => onChange({ negate: e.target.value === "not" })}
      >
        <option value={labels.yes.value}>{t(labels.yes.label)}</option>
        <option value="not">{t(labels.no)}</option>
      </select>
      <input
        type="text"
        data-testid={`audience-${i}-${field}`}
        aria-label={`${row}: ${t(`field.${field}`)}`}
        placeholder={t(`field.${field}Placeholder`)}
        value={name}
        onChange={(e) => onChange({ [field]: e.target.value })}
      />
      {children}
    </div>
  );
}

export function AudienceField({ settings, schema, t, error, onChange }: { settings: Settings; schema: JsonSchema; t: TFunction; error?: string; onChange: (next: Settings) => void }) {
  const audience = asAudience(settings.audience);
  const conditions = audience?.conditions ?? [];
  // Each kind has its own "add" button; the manifest's enum says which kinds exist.
  const kinds = enumAt(schema, "audience.conditions.kind");
  const ops = enumAt(schema, "audience.conditions.op");
  const matches = enumAt(schema, "audience.match");
  const days = Number(defaultAt(schema, "audience.conditions.days") ?? 30);
  const set = (next: Audience | null) => onChange({ ...settings, audience: next && next.conditions.length ? next : null });
  const update = (i: number, patch: Partial<Condition>) =>
    set({ match: audience?.match ?? "all", conditions: conditions.map((c, j) => (j === i ? { ...c, ...patch } : c)) });
  const fresh = (kind: string): Condition =>
    kind === "event"
      ? { kind, event: "", days, min_count: 1, negate: false }
      : kind === "tag"
        ? { kind, tag: "", min_weight: null, negate: false }
        : { kind, attribute: "", op: ops[0] ?? "eq", value: "" };
  const row = (i: number) => t("audience.row", { n: i + 1 });
  return (
    <fieldset className={`field audience${error ? " has-error" : ""}`} data-testid="setting-audience">
      <legend>{t("field.audience")}</legend>
      {conditions.length === 0 ? (
        <p className="field-hint" data-testid="audience-everyone">
          {t("audience.everyoneHint")}
        </p>
      ) : (
        <div className="audience-match">
          <span>{t("audience.matchPrefix")}</span>
          <select
            data-testid="audience-match"
            aria-label={t("audience.matchLabel")}
            value={audience?.match ?? "all"}
            onChange={(e) => set({ match: e.target.value, conditions })}
          >
            {matches.map((m) => (
              <option key={m} value={m}>
                {t(`audience.match.${m}` as MessageKey)}
              </option>
            ))}
          </select>
          <span>{t("audience.matchSuffix")}</span>
        </div>
      )}
      {conditions.map((c, i) => (
        <div className="audience-row" key={i} role="group" aria-label={row(i)} data-testid={`audience-${i}`}>
          <span className={`audience-kind kind-${c.kind}`} data-testid={`audience-${i}-kind`} data-kind={c.kind}>
            {t(`audience.kind.${c.kind}` as MessageKey)}
          </span>
          {c.kind === "tag" ? (
            <NegatedNameRow i={i} field="tag" name={str(c.tag)} negate={!!c.negate} labels={TAG_LABELS} className="audience-event audience-tag" t={t} onChange={(patch) => update(i, patch)}>
              <span className="audience-words">{t("audience.weightAtLeast")}</span>
              <WholeInput
                optional
                value={c.min_weight}
                min={0}
                testId={`audience-${i}-min_weight`}
                label={`${row(i)}: ${t("field.min_weight")}`}
                placeholder={t("audience.anyWeight")}
                onChange={(v) => update(i, { min_weight: v })}
              />
            </NegatedNameRow>
          ) : c.kind === "event" ? (
            <NegatedNameRow i={i} field="event" name={str(c.event)} negate={!!c.negate} labels={EVENT_LABELS} className="audience-event" t={t} onChange={(patch) => update(i, patch)}>
              <span className="audience-words">{t("audience.atLeast")}</span>
              <WholeInput value={c.min_count} min={1} testId={`audience-${i}-min_count`} label={`${row(i)}: ${t("field.min_count")}`} onChange={(v) => update(i, { min_count: v })} />
              <span className="audience-words">{t("audience.timesIn")}</span>
              <WholeInput value={c.days} min={1} testId={`audience-${i}-days`} label={`${row(i)}: ${t("field.days")}`} onChange={(v) => update(i, { days: v })} />
              <span className="audience-words">{t("audience.days")}</span>
            </NegatedNameRow>
          ) : (
            <div className="audience-attr">
              <input
                type="text"
                data-testid={`audience-${i}-attribute`}
                aria-label={`${row(i)}: ${t("field.attribute")}`}
                placeholder={t("field.attributePlaceholder")}
                value={str(c.attribute)}
                title={str(c.attribute) || undefined}
                onChange={(e) => update(i, { attribute: e.target.value })}
              />
              <OpValueInputs
                ops={ops}
                op={str(c.op) || ops[0]}
                value={c.value}
                testId={`audience-${i}`}
                label={row(i)}
                t={t}
                onChange={(patch) => update(i, patch)}
              />
            </div>
          )}
          <button
            type="button"
            className="icon-btn ghost"
            data-testid={`audience-${i}-remove`}
            aria-label={t("audience.remove", { n: i + 1 })}
            title={t("audience.remove", { n: i + 1 })}
            onClick={() => set({ match: audience?.match ?? "all", conditions: conditions.filter((_, j) => j !== i) })}
          >
            <Icon name="x" size={14} />
          </button>
        </div>
      ))}
      {error && <div className="field-error">{error}</div>}
      <div className="row-gap audience-add">
        {kinds.map((k) => (
          <button
            key={k}
            type="button"
            className="btn btn-sm btn-secondary"
            data-testid={`audience-add-${k}`}
            onClick={() => set({ match: audience?.match ?? "all", conditions: [...conditions, fresh(k)] })}
          >
            <Icon name="plus" size={14} />
            {t(`audience.add.${k}` as MessageKey)}
          </button>
        ))}
      </div>
    </fieldset>
  );
}
