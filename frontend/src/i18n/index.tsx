/** A small typed i18n layer: `t(key, vars)` over flat dictionaries, language kept in localStorage. */
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from "react";
import { en, enOne, type MessageKey } from "./en";
import { zhTW } from "./zh-TW";

export type Lang = "en" | "zh-TW";
export const LANGS: Lang[] = ["en", "zh-TW"];
export type { MessageKey };
export type Vars = Record<string, string | number>;
export type TFunction = (key: MessageKey, vars?: Vars) => string;

const DICTS: Record<Lang, Record<MessageKey, string>> = { en, "zh-TW": zhTW };
const STORAGE_KEY = "wayfinder.lang";

export function interpolate(template: string, vars?: Vars): string {
  if (!vars) return template;
  return template.replace(/\{(\w+)\}/g, (m, name: string) => (name in vars ? String(vars[name]) : m));
}

/** Each language's forms for a count of one (`vars.n`), where its grammar has them. */
const ONE: Record<Lang, Partial<Record<MessageKey, string>>> = { en: enOne, "zh-TW": {} };

/** `n` as a number, whether given as one or already formatted for display ("1", "1,000"). */
function countOf(n: string | number | undefined): number | null {
  if (n === undefined) return null;
  const value = typeof n === "number" ? n : Number(n.replace(/[,\s]/g, ""));
  return Number.isFinite(value) ? value : null;
}

export function makeT(lang: Lang): TFunction {
  const dict = DICTS[lang];
  const one = ONE[lang];
  const rules = new Intl.PluralRules(lang);
  return (key, vars) => {
    const n = countOf(vars?.n);
    const singular = n !== null && rules.select(n) === "one" ? one[key] : undefined;
    return interpolate(singular ?? dict[key] ?? en[key] ?? key, vars);
  };
}

export function hasKey(key: string): key is MessageKey {
  return key in en;
}

function initialLang(): Lang {
  try {
    const stored = localStorage.getItem(STORAGE_KEY);
    if (stored === "en" || stored === "zh-TW") return stored;
  } catch {
    /* storage may be unavailable (private mode) */
  }
  const nav = typeof navigator !== "undefined" ? navigator.language : "en";
  return nav.toLowerCase().startsWith("zh") ? "zh-TW" : "en";
}

interface I18nValue {
  lang: Lang;
  setLang: (lang: Lang) => void;
  t: TFunction;
}

const I18nContext = createContext<I18nValue>({ lang: "en", setLang: () => {}, t: makeT("en") });

export function I18nProvider({ children }: { children: ReactNode }) {
  const [lang, setLangState] = useState<Lang>(initialLang);
  const setLang = useCallback((next: Lang) => {
    setLangState(next);
    try {
      localStorage.setItem(STORAGE_KEY, next);
    } catch {
      /* ignore */
    }
  }, []);
  useEffect(() => {
    document.documentElement.lang = lang;
  }, [lang]);
  const value = useMemo(() => ({ lang, setLang, t: makeT(lang) }), [lang, setLang]);
  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

export function useI18n(): I18nValue {
  return useContext(I18nContext);
}

export function useT(): TFunction {
  return useContext(I18nContext).t;
}
