import { LANGS, useI18n, type Lang } from "../i18n";
import { Icon } from "./Icon";

export function LanguageSwitcher() {
  const { lang, setLang, t } = useI18n();
  return (
    <label className="lang-switcher">
      <Icon name="globe" size={15} />
      <span className="sr-only">{t("lang.label")}</span>
      <select
        data-testid="language-switcher"
        aria-label={t("lang.label")}
        value={lang}
        onChange={(e) => setLang(e.target.value as Lang)}
      >
        {LANGS.map((l) => (
          <option key={l} value={l}>
            {t(`lang.${l}`)}
          </option>
        ))}
      </select>
    </label>
  );
}
