/** The time-zone picker (WAI-ARIA combobox with a listbox popup): the current zone named by city with its UTC
 * offset; typing filters by city, country or IANA id in either language; common zones first, then every other
 * canonical zone. Arrow keys move, Enter picks, Escape closes (and does not close the drawer around it). */
import { useEffect, useId, useMemo, useRef, useState, type KeyboardEvent } from "react";
import { Icon } from "../components/Icon";
import { useI18n } from "../i18n";
import { buildZoneList, describeZone, searchZones, zoneLabel, type Zone } from "./zones";

export function TimezonePicker({
  value,
  zones,
  countries,
  label,
  hint,
  testId = "timezone",
  onChange,
}: {
  value: string;
  /** The backend's canonical zones (manifest `journey_settings.timezones`). */
  zones: readonly string[];
  countries?: Record<string, string>;
  label: string;
  hint?: string;
  testId?: string;
  onChange: (zone: string) => void;
}) {
  const { t, lang } = useI18n();
  const id = useId();
  const [query, setQuery] = useState("");
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(0);
  const listRef = useRef<HTMLUListElement>(null);
  const inputRef = useRef<HTMLInputElement>(null);

  const all = useMemo(() => buildZoneList(zones, lang, countries), [zones, lang, countries]);
  const current = useMemo(() => describeZone(value, lang, countries), [value, lang, countries]);
  const shown = useMemo(() => searchZones(all, query), [all, query]);
  const flat: Zone[] = useMemo(() => [...shown.common, ...shown.others], [shown]);

  useEffect(() => setActive(0), [query]);
  // Opening near the bottom of a scrolling drawer: bring the whole list into view.
  useEffect(() => {
    if (open) listRef.current?.scrollIntoView?.({ block: "nearest" });
  }, [open]);
  useEffect(() => {
    if (!open) return;
    listRef.current?.querySelector<HTMLElement>(`[data-index="${active}"]`)?.scrollIntoView({ block: "nearest" });
  }, [active, open]);

  const optionId = (i: number) => `${id}-opt-${i}`;
  const pick = (zone: Zone) => {
    onChange(zone.id);
    setQuery("");
    setOpen(false);
    inputRef.current?.focus();
  };
  const onKey = (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.key === "ArrowDown" || e.key === "ArrowUp") {
      e.preventDefault();
      if (!open) {
        setOpen(true);
        const at = flat.findIndex((z) => z.id === value);
        setActive(at >= 0 ? at : 0);
        return;
      }
      const step = e.key === "ArrowDown" ? 1 : -1;
      setActive((a) => (flat.length ? (a + step + flat.length) % flat.length : 0));
    } else if (open && (e.key === "Home" || e.key === "End") && !query) {
      e.preventDefault();
      setActive(e.key === "Home" ? 0 : flat.length - 1);
    } else if (e.key === "Enter") {
      if (open && flat[active]) {
        e.preventDefault();
        pick(flat[active]);
      }
    } else if (e.key === "Escape") {
      if (open || query) {
        e.preventDefault(); // handled here: the editor's Escape (close the drawer) must not fire too
        setOpen(false);
        setQuery("");
      }
    }
  };

  const renderOption = (z: Zone, i: number) => (
    <li
      key={z.id}
      id={optionId(i)}
      role="option"
      data-index={i}
      data-zone={z.id}
      data-testid={`${testId}-option-${z.id}`}
      aria-selected={z.id === value}
      className={`tz-option${i === active ? " active" : ""}${z.id === value ? " selected" : ""}`}
      onMouseDown={(e) => e.preventDefault() /* keep focus in the input */}
      onMouseMove={() => setActive(i)}
      onClick={() => pick(z)}
    >
      <span className="tz-option-city">{z.city}</span>
      {z.country && z.country !== z.city && <span className="tz-option-country">{z.country}</span>}
      <span className="tz-option-offset">{z.offset}</span>
      {z.id === value && <Icon name="check" size={14} className="tz-option-check" />}
    </li>
  );

  return (
    <div className="field tz-picker" data-testid={`${testId}-picker`}>
      <label htmlFor={`${id}-input`}>{label}</label>
      <div className="tz-current" data-testid={`${testId}-current`} data-zone={value}>
        <Icon name="globe" size={14} />
        <span className="tz-current-name">{zoneLabel(current)}</span>
        {current.country && current.country !== current.city && <span className="tz-current-country">{current.country}</span>}
      </div>
      <div className={`tz-combo${open ? " open" : ""}`}>
        <Icon name="search" size={14} className="tz-combo-icon" />
        <input
          ref={inputRef}
          id={`${id}-input`}
          type="text"
          role="combobox"
          autoComplete="off"
          spellCheck={false}
          aria-autocomplete="list"
          aria-expanded={open}
          aria-controls={`${id}-list`}
          aria-activedescendant={open && flat[active] ? optionId(active) : undefined}
          aria-describedby={hint ? `${id}-hint` : undefined}
          data-testid={`${testId}-search`}
          placeholder={t("tz.searchPlaceholder")}
          value={query}
          onChange={(e) => {
            setQuery(e.target.value);
            setOpen(true);
          }}
          onFocus={() => setOpen(true)}
          onClick={() => setOpen(true)}
          onBlur={() => setOpen(false)}
          onKeyDown={onKey}
        />
        <button
          type="button"
          tabIndex={-1}
          className="tz-combo-toggle"
          aria-label={open ? t("tz.close") : t("tz.open")}
          data-testid={`${testId}-toggle`}
          onMouseDown={(e) => e.preventDefault()}
          onClick={() => {
            setOpen((o) => !o);
            inputRef.current?.focus();
          }}
        >
          <Icon name="chevronDown" size={14} />
        </button>
      </div>
      <ul ref={listRef} id={`${id}-list`} role="listbox" aria-label={label} className="tz-list" data-testid={testId} hidden={!open}>
        {flat.length === 0 && (
          <li className="tz-empty" role="presentation">
            {t("tz.none", { q: query })}
          </li>
        )}
        {shown.common.length > 0 && (
          <li role="presentation" className="tz-group">
            <div className="tz-group-head" id={`${id}-common`} aria-hidden="true">
              {t("tz.common")}
            </div>
            <ul role="group" aria-labelledby={`${id}-common`}>
              {shown.common.map((z, i) => renderOption(z, i))}
            </ul>
          </li>
        )}
        {shown.others.length > 0 && (
          <li role="presentation" className="tz-group">
            <div className="tz-group-head" id={`${id}-others`} aria-hidden="true">
              {t("tz.others")}
            </div>
            <ul role="group" aria-labelledby={`${id}-others`}>
              {shown.others.map((z, i) => renderOption(z, shown.common.length + i))}
            </ul>
          </li>
        )}
      </ul>
      {hint && (
        <div className="field-hint" id={`${id}-hint`}>
          {hint}
        </div>
      )}
    </div>
  );
}
