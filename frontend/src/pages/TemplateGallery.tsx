/** The "New journey" gallery: Blank + one card per ready-made journey, as a radio group laid out in a grid (arrow
 * keys move the choice, Home / End jump; only the chosen card is in the tab order). Presentational: the dialog
 * owns the choice. */
import { useRef, type KeyboardEvent } from "react";
import type { JourneyTemplate } from "../api/types";
import { Icon } from "../components/Icon";
import type { MessageKey, TFunction } from "../i18n";
import { hasKey } from "../i18n";
import { CHANNEL_ICONS } from "../components/channelIcons";
import { BLANK, choiceKeys, moveChoice } from "./templateGallery";

interface Props {
  templates: JourneyTemplate[];
  selected: string;
  onSelect: (key: string) => void;
  t: TFunction;
  labelledBy: string;
}

/** How many columns the grid shows now (read from its computed layout; 1 where there is no layout, e.g. tests). */
function columnsOf(grid: HTMLElement | null): number {
  if (!grid || typeof window === "undefined") return 1;
  const columns = window.getComputedStyle(grid).gridTemplateColumns;
  return Math.max(1, columns ? columns.split(" ").filter(Boolean).length : 1);
}

export function channelLabel(channel: string, t: TFunction): string {
  const key = `channel.${channel}`;
  return hasKey(key) ? t(key as MessageKey) : channel;
}

export function TemplateGallery({ templates, selected, onSelect, t, labelledBy }: Props) {
  const grid = useRef<HTMLDivElement>(null);
  const keys = choiceKeys(templates);
  const index = Math.max(0, keys.indexOf(selected));

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    const next = moveChoice(e.key, index, keys.length, columnsOf(grid.current));
    if (next === null) return;
    e.preventDefault();
    onSelect(keys[next]);
    grid.current?.querySelector<HTMLElement>(`[data-testid="template-${keys[next]}"]`)?.focus();
  };

  const card = (key: string, name: string, body: JSX.Element) => {
    const checked = key === keys[index];
    return (
      <button
        key={key}
        type="button"
        role="radio"
        aria-checked={checked}
        tabIndex={checked ? 0 : -1}
        className={`template-card${checked ? " selected" : ""}`}
        data-testid={`template-${key}`}
        aria-label={name}
        aria-describedby={key === BLANK ? `template-desc-${key}` : `template-desc-${key} template-steps-${key} template-meta-${key}`}
        onClick={() => onSelect(key)}
      >
        {body}
      </button>
    );
  };

  return (
    <div ref={grid} className="template-grid" role="radiogroup" aria-labelledby={labelledBy} onKeyDown={onKeyDown}>
      {card(
        BLANK,
        t("newJourney.blank"),
        <>
          <span className="template-icon blank">
            <Icon name="plus" size={18} />
          </span>
          <span className="template-name">{t("newJourney.blank")}</span>
          <span className="template-description" id={`template-desc-${BLANK}`}>
            {t("newJourney.blankDescription")}
          </span>
        </>,
      )}
      {templates.map((template) =>
        card(
          template.key,
          template.name,
          <>
            <span className="template-top">
              <span className="template-icon">
                <Icon name="sparkles" size={18} />
              </span>
              <span className="template-steps" id={`template-steps-${template.key}`}>
                {t("newJourney.steps", { n: template.steps })}
              </span>
            </span>
            <span className="template-name">{template.name}</span>
            <span className="template-description" id={`template-desc-${template.key}`} title={template.description}>
              {template.description}
            </span>
            <span className="template-meta" id={`template-meta-${template.key}`}>
              <span className="template-channels">
                {template.channels.length === 0 ? (
                  <span className="template-channel muted">
                    <Icon name="tag" size={12} />
                    <span className="template-channel-name">{t("newJourney.noMessages")}</span>
                  </span>
                ) : (
                  template.channels.map((channel) => (
                    <span key={channel} className="template-channel" data-channel={channel}>
                      <Icon name={CHANNEL_ICONS[channel] ?? "bolt"} size={12} />
                      <span className="template-channel-name">{channelLabel(channel, t)}</span>
                    </span>
                  ))
                )}
              </span>
            </span>
          </>,
        ),
      )}
    </div>
  );
}
