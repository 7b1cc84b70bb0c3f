/** Step palette: drag an item onto the canvas, or click it to add at the viewport centre. */
import { Icon } from "../components/Icon";
import { useT, type MessageKey } from "../i18n";
import { GROUPS, stepTypes } from "../nodes/registry";

export const DND_MIME = "application/x-wayfinder-step";

/** Disabled (an archived journey, a role that cannot edit): the note above the canvas says why, the palette only
 * that nothing can be added. */
export function Palette(p: { onAdd: (type: string) => void; disabled?: boolean }) {
  const { onAdd, disabled = false } = p;
  const t = useT();
  return (
    <aside
      className={`palette${disabled ? " is-disabled" : ""}`}
      data-testid="palette"
      data-disabled={disabled ? "true" : "false"}
      aria-label={t("palette.title")}
      aria-disabled={disabled || undefined}
    >
      <div className="palette-head">
        <h2>{t("palette.title")}</h2>
        {disabled ? (
          <p className="palette-locked" data-testid="palette-locked">
            <Icon name="lock" size={12} />
            {t("palette.readOnly")}
          </p>
        ) : (
          <p>{t("palette.hint")}</p>
        )}
      </div>
      {GROUPS.map((group) => {
        const items = stepTypes().filter((d) => d.group === group);
        if (!items.length) return null;
        return (
          <section key={group} className="palette-group" aria-label={t(`palette.group.${group}`)}>
            <h3>{t(`palette.group.${group}`)}</h3>
            {items.map((d) => {
              const name = t(`type.${d.type}` as MessageKey);
              return (
                <button
                  key={d.type}
                  type="button"
                  draggable={!disabled}
                  disabled={disabled}
                  className={`palette-item step-${d.color}`}
                  data-testid={`palette-item-${d.type}`}
                  title={t("palette.add", { type: name })}
                  onDragStart={(e) => {
                    e.dataTransfer.setData(DND_MIME, d.type);
                    e.dataTransfer.setData("text/plain", d.type);
                    e.dataTransfer.effectAllowed = "move";
                  }}
                  onClick={() => onAdd(d.type)}
                >
                  <span className="step-icon">
                    <Icon name={d.icon} size={16} />
                  </span>
                  <span className="palette-text">
                    <span className="palette-name">{name}</span>
                    <span className="palette-desc">{t(`typeDesc.${d.type}` as MessageKey)}</span>
                  </span>
                  <Icon name="grip" size={14} className="palette-grip" />
                </button>
              );
            })}
          </section>
        );
      })}
    </aside>
  );
}
