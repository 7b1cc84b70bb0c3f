/** Journey settings, a drawer opened from the toolbar: re-entry, maximum time, start / end dates, quiet hours,
 * frequency caps per channel, the journey's priority for a cap's last slot and the brand time zone. Built from the
 * manifest's `journey_settings` (JSON Schema, defaults, enums, the canonical zones) and saved in the graph's
 * `settings` — never shown as JSON. */
import { useEffect, useId, useRef } from "react";
import type { LocatedError } from "../api/types";
import { Icon } from "../components/Icon";
import { useI18n, type MessageKey } from "../i18n";
import { translateLocatedError } from "../i18n/errors";
import { settingsFieldTestIds } from "../graph/problems";
import { ChoiceField, DateTimeInput, parseWhole, useWholeNumberText } from "../nodes/fields";
import { enumAt, installedManifest, rangeAt, type JsonSchema } from "../nodes/manifest";
import { ZoneNote } from "../timezones/JourneyZone";
import { TimezonePicker } from "../timezones/TimezonePicker";

type Settings = Record<string, unknown>;
interface Duration {
  amount: number | null;
  unit: string;
}
interface Cap {
  channel: string;
  limit: number | null;
  period: string;
}

export interface JourneySettingsManifest {
  settings: JsonSchema;
  defaults: Settings;
  timezones: string[];
  /** Country code of each zone (searching "Japan" finds Tokyo). */
  timezone_countries?: Record<string, string>;
}

export function journeySettingsManifest(): JourneySettingsManifest | null {
  const js = installedManifest()?.journey_settings as unknown as JourneySettingsManifest | undefined;
  return js && js.settings ? js : null;
}

/** Whole-number input that refuses 1.5 (h3's rule) and keeps what was typed while it is refused. */
/** A frequency cap's channel or period: options translated as `channel.<x>` / `period.<x>`. */
function CapSelect({ row, field, value, options, onChange }: { row: number; field: "channel" | "period"; value: string; options: string[]; onChange: (v: string) => void }) {
  const { t } = useI18n();
  const label = field === "channel" ? t("settings.capChannel") : t("settings.capPeriod");
  return (
    <select data-testid={`cap-${row}-${field}`} aria-label={`${t("settings.capRow", { n: row + 1 })}: ${label}`} value={value} onChange={(e) => onChange(e.target.value)}>
      {options.map((o) => (
        <option key={o} value={o}>
          {t(`${field}.${o}` as MessageKey)}
        </option>
      ))}
    </select>
  );
}

function Whole({ value, label, testId, min, onChange }: { value: number | null; label: string; testId: string; min: number; onChange: (v: number | null) => void }) {
  const { raw, problem, onText } = useWholeNumberText(value, (text) => parseWhole(text, min), onChange);
  const bad = problem !== null;
  return (
    <input
      type="text"
      inputMode="numeric"
      className="mini-number wide"
      data-testid={testId}
      aria-label={label}
      aria-invalid={bad || undefined}
      value={raw}
      onChange={(e) => onText(e.target.value)}
    />
  );
}

function DurationRow({ value, units, testId, label, t, onChange }: { value: Duration; units: string[]; testId: string; label: string; t: (k: MessageKey) => string; onChange: (d: Duration) => void }) {
  return (
    <div className="settings-inline" role="group" aria-label={label}>
      <Whole value={value.amount} min={1} testId={`${testId}-amount`} label={`${label}: ${t("field.amount")}`} onChange={(amount) => onChange({ ...value, amount })} />
      <select data-testid={`${testId}-unit`} aria-label={`${label}: ${t("field.unit")}`} value={value.unit} onChange={(e) => onChange({ ...value, unit: e.target.value })}>
        {units.map((u) => (
          <option key={u} value={u}>
            {t(`unit.${u}` as MessageKey)}
          </option>
        ))}
      </select>
    </div>
  );
}

export function JourneySettingsPanel({
  settings,
  errors,
  readOnly,
  onChange,
  onClose,
  focusRequest = null,
}: {
  settings: Settings;
  errors: LocatedError[];
  readOnly: boolean;
  onChange: (next: Settings) => void;
  onClose: () => void;
  /** Set when the problems list asks to go to a setting (`settings.<name>…`); `n` makes a repeat a new request. */
  focusRequest?: { field: string; n: number } | null;
}) {
  const { t } = useI18n();
  const manifest = journeySettingsManifest();
  const titleId = useId();
  const closeRef = useRef<HTMLButtonElement>(null);
  // Escape closes it through the editor's shortcuts (topmost panel first), not a listener of its own.
  useEffect(() => closeRef.current?.focus(), []);
  const panel = useRef<HTMLElement>(null);
  useEffect(() => {
    if (!focusRequest) return;
    const frame = window.requestAnimationFrame(() => {
      const found = settingsFieldTestIds(focusRequest.field)
        .map((id) => panel.current?.querySelector<HTMLElement>(`[data-testid="${id}"]`))
        .find((el) => el);
      // A group (the re-entry choice) is focused at its chosen option.
      const target = found?.matches("input, select, textarea, button") ? found : found?.querySelector<HTMLElement>("input:checked, input, select, button");
      if (!target) return;
      target.scrollIntoView({ block: "center" });
      target.focus();
    });
    return () => window.cancelAnimationFrame(frame);
  }, [focusRequest]);
  if (!manifest) return null;
  const schema = manifest.settings;
  // What is not set yet shows the backend's defaults (Asia/Taipei, re-entry every time…).
  const s: Settings = { ...manifest.defaults, ...settings };
  const set = (patch: Settings) => onChange({ ...s, ...patch });
  const units = enumAt(schema, "max_duration.unit");
  const fieldError = (name: string) => {
    const e = errors.find((x) => x.field === `settings.${name}` || x.field?.startsWith(`settings.${name}.`));
    return e ? translateLocatedError(e, t) : undefined;
  };
  const asDuration = (v: unknown): Duration | null => (v && typeof v === "object" ? { amount: (v as Duration).amount ?? null, unit: String((v as Duration).unit ?? units[0]) } : null);
  const cooldown = asDuration(s.reentry_cooldown) ?? { amount: 1, unit: "days" };
  const maxDuration = asDuration(s.max_duration);
  const quiet = s.quiet_hours && typeof s.quiet_hours === "object" ? (s.quiet_hours as { start: string; end: string }) : null;
  const caps: Cap[] = Array.isArray(s.frequency_caps) ? (s.frequency_caps as Cap[]) : [];
  const channels = enumAt(schema, "frequency_caps.channel");
  const periods = enumAt(schema, "frequency_caps.period");
  const maxCaps = rangeAt(schema, "frequency_caps").max ?? 16;
  const setCap = (i: number, patch: Partial<Cap>) => set({ frequency_caps: caps.map((c, j) => (j === i ? { ...c, ...patch } : c)) });

  return (
    <aside ref={panel} className="journey-settings-panel" role="dialog" aria-labelledby={titleId} data-testid="journey-settings-panel">
      <header className="customers-head">
        <span className="step-icon settings-icon">
          <Icon name="settings" size={16} />
        </span>
        <div className="customers-title">
          <h2 id={titleId}>{t("settings.title")}</h2>
          <span className="muted">{t("settings.subtitle")}</span>
        </div>
        <button ref={closeRef} type="button" className="icon-btn" aria-label={t("settings.close")} title={t("settings.close")} data-testid="journey-settings-close" onClick={onClose}>
          <Icon name="x" size={16} />
        </button>
      </header>
      <fieldset className="settings-body" disabled={readOnly}>
        <section className="settings-section" aria-label={t("settings.entry")}>
          <h3>{t("settings.entry")}</h3>
          <ChoiceField
            name="journey-reentry"
            label={t("settings.reentry")}
            value={String(s.reentry)}
            options={enumAt(schema, "reentry").map((r) => ({ value: r, label: t(`reentry.${r}` as MessageKey) }))}
            error={fieldError("reentry")}
            onChange={(reentry) => set({ reentry, reentry_cooldown: reentry === "cooldown" ? cooldown : null })}
          />
          {s.reentry === "cooldown" && (
            <div className="field">
              <label>{t("settings.cooldown")}</label>
              <DurationRow value={cooldown} units={enumAt(schema, "reentry_cooldown.unit")} testId="journey-setting-cooldown" label={t("settings.cooldown")} t={t} onChange={(d) => set({ reentry_cooldown: d })} />
              {fieldError("reentry_cooldown") && <div className="field-error">{fieldError("reentry_cooldown")}</div>}
            </div>
          )}
          <div className="field">
            <label className="toggle-row">
              <input
                type="checkbox"
                data-testid="journey-setting-max-duration-on"
                checked={!!maxDuration}
                onChange={(e) => set({ max_duration: e.target.checked ? { amount: 30, unit: "days" } : null })}
              />
              <span>{t("settings.maxDuration")}</span>
            </label>
            {maxDuration ? (
              <DurationRow value={maxDuration} units={units} testId="journey-setting-max-duration" label={t("settings.maxDuration")} t={t} onChange={(d) => set({ max_duration: d })} />
            ) : (
              <div className="field-hint">{t("settings.maxDurationOff")}</div>
            )}
            {fieldError("max_duration") && <div className="field-error">{fieldError("max_duration")}</div>}
          </div>
        </section>

        <section className="settings-section" aria-label={t("settings.dates")}>
          <h3>{t("settings.dates")}</h3>
          <div className="field-row even">
            <DateTimeInput name="journey-start_at" kind="datetime-local" label={t("settings.start_at")} value={String(s.start_at ?? "")} error={fieldError("start_at")} zone={String(s.timezone)} onChange={(v) => set({ start_at: v || null })} />
            <DateTimeInput name="journey-end_at" kind="datetime-local" label={t("settings.end_at")} value={String(s.end_at ?? "")} error={fieldError("end_at")} zone={String(s.timezone)} onChange={(v) => set({ end_at: v || null })} />
          </div>
          <p className="field-hint settings-hint">{t("settings.datesHint")}</p>
        </section>

        <section className="settings-section" aria-label={t("settings.sending")}>
          <h3>{t("settings.sending")}</h3>
          <div className="field">
            <label className="toggle-row">
              <input
                type="checkbox"
                data-testid="journey-setting-quiet-on"
                checked={!!quiet}
                onChange={(e) => set({ quiet_hours: e.target.checked ? { start: "21:00", end: "09:00" } : null })}
              />
              <span>{t("settings.quietHours")}</span>
            </label>
            {quiet && (
              <div className="settings-inline" role="group" aria-label={t("settings.quietHours")}>
                <span className="audience-words">{t("settings.quiet_start")}</span>
                <input type="time" data-testid="journey-setting-quiet-start" aria-label={t("settings.quiet_start")} value={quiet.start} onChange={(e) => set({ quiet_hours: { ...quiet, start: e.target.value } })} />
                <span className="audience-words">{t("settings.quiet_end")}</span>
                <input type="time" data-testid="journey-setting-quiet-end" aria-label={t("settings.quiet_end")} value={quiet.end} onChange={(e) => set({ quiet_hours: { ...quiet, end: e.target.value } })} />
                <ZoneNote zone={String(s.timezone)} customer testId="journey-setting-quiet-zone" />
              </div>
            )}
            <div className="field-hint">{t("settings.quietHoursHint")}</div>
            {fieldError("quiet_hours") && <div className="field-error">{fieldError("quiet_hours")}</div>}
          </div>
          <fieldset className="field caps" data-testid="journey-setting-caps">
            <legend>{t("settings.caps")}</legend>
            <p className="field-hint">{t("settings.capsHint")}</p>
            {caps.map((c, i) => (
              <div className="cap-row" key={i} role="group" aria-label={t("settings.capRow", { n: i + 1 })} data-testid={`cap-${i}`}>
                <span className="audience-words">{t("settings.capLimit")}</span>
                <Whole value={c.limit} min={1} testId={`cap-${i}-limit`} label={`${t("settings.capRow", { n: i + 1 })}: ${t("settings.capLimit")}`} onChange={(limit) => setCap(i, { limit })} />
                <CapSelect row={i} field="channel" value={c.channel} options={channels} onChange={(channel) => setCap(i, { channel })} />
                <span className="audience-words">{t("settings.capTimes")}</span>
                <CapSelect row={i} field="period" value={c.period} options={periods} onChange={(period) => setCap(i, { period })} />
                <button
                  type="button"
                  className="icon-btn ghost"
                  data-testid={`cap-${i}-remove`}
                  aria-label={t("settings.capRemove", { n: i + 1 })}
                  title={t("settings.capRemove", { n: i + 1 })}
                  onClick={() => set({ frequency_caps: caps.filter((_, j) => j !== i) })}
                >
                  <Icon name="x" size={14} />
                </button>
              </div>
            ))}
            {caps.length === 0 && <p className="field-hint">{t("settings.capsEmpty")}</p>}
            {fieldError("frequency_caps") && <div className="field-error">{fieldError("frequency_caps")}</div>}
            <button
              type="button"
              className="btn btn-sm btn-secondary"
              data-testid="journey-setting-cap-add"
              disabled={caps.length >= maxCaps}
              onClick={() => set({ frequency_caps: [...caps, { channel: channels.includes("email") ? "email" : channels[0], limit: 1, period: periods[0] ?? "day" }] })}
            >
              <Icon name="plus" size={14} />
              {t("settings.capAdd")}
            </button>
          </fieldset>
          <ChoiceField
            name="journey-priority"
            label={t("settings.priority")}
            value={String(s.priority ?? "normal")}
            options={enumAt(schema, "priority").map((p) => ({ value: p, label: t(`priority.${p}` as MessageKey) }))}
            error={fieldError("priority")}
            onChange={(priority) => set({ priority })}
          />
          <p className="field-hint settings-hint">{t("settings.priorityHint")}</p>
        </section>

        <section className="settings-section" aria-label={t("settings.timezone")}>
          <TimezonePicker
            value={String(s.timezone)}
            zones={manifest.timezones}
            countries={manifest.timezone_countries}
            label={t("settings.timezone")}
            hint={t("settings.timezoneHint")}
            testId="journey-setting-timezone"
            onChange={(timezone) => set({ timezone })}
          />
          {fieldError("timezone") && <div className="field-error">{fieldError("timezone")}</div>}
        </section>
      </fieldset>
      <footer className="panel-foot settings-foot">
        <button type="button" className="btn btn-primary" data-testid="journey-settings-done" onClick={onClose}>
          {t("settings.done")}
        </button>
      </footer>
    </aside>
  );
}
