import i18next from 'i18next';
import { useEffect, type ReactNode } from 'react';
import { I18nextProvider, initReactI18next, useTranslation } from 'react-i18next';
import * as app from './app/app.i18n';
import * as errors from './app/errors.i18n';
import * as contracts from './contracts/contracts.i18n';
import * as district from './district/district.i18n';
import * as field from './field/field.i18n';
import * as imports from './imports/imports.i18n';
import * as map from './map/map.i18n';
import * as households from './registry/households/households.i18n';
import * as registry from './registry/registry.i18n';
import * as users from './registry/users/users.i18n';
import * as zones from './registry/zones/zones.i18n';
import * as trace from './trace/trace.i18n';

/**
 * Each feature's words in its own file, merged here. Every file types its English as a record of
 * its Vietnamese keys, so a key missing in English fails the type check; `t` takes only known
 * keys, so a typo does too.
 */
const FEATURES = [
  app,
  errors,
  map,
  registry,
  users,
  households,
  zones,
  trace,
  contracts,
  district,
  imports,
  field,
];
const vi = {
  ...app.vi,
  ...errors.vi,
  ...map.vi,
  ...registry.vi,
  ...users.vi,
  ...households.vi,
  ...zones.vi,
  ...trace.vi,
  ...contracts.vi,
  ...district.vi,
  ...imports.vi,
  ...field.vi,
};
type RawKey = keyof typeof vi;
/** A key as `t` takes it: plural forms (`x_one`, `x_other`) by their base, chosen by `count`. */
type PluralBase<K> = K extends `${infer Base}_other` ? Base : never;
export type Key = Exclude<RawKey, `${string}_one` | `${string}_other`> | PluralBase<RawKey>;

const en = Object.assign({}, ...FEATURES.map((f) => f.en)) as Record<RawKey, string>;

export type Language = 'vi' | 'en';
export const dictionaries: Record<Language, Record<RawKey, string>> = { vi, en };

export type Translate = (key: Key, values?: Record<string, string | number>) => string;
/** A key known only at run time (a server's code): its words, or null when there are none. */
export type Lookup = (key: string, values?: Record<string, string | number>) => string | null;

/** An API error in the user's language, filled with `values`; the server's words if unknown. */
export function errorInWords(
  error: { code: string; message: string },
  values?: Record<string, string | number>,
): string {
  return lookup(`error.${error.code}`, values) ?? error.message;
}

const LANGUAGE_KEY = 'huuco.language';

function initialLanguage(): Language {
  return globalThis.localStorage?.getItem(LANGUAGE_KEY) === 'en' ? 'en' : 'vi';
}

/**
 * i18next holds both languages: interpolation of `{name}`, plural forms by the language's own
 * rules (Vietnamese has one, English two), and the switch between them.
 */
export const i18n = i18next.createInstance();
void i18n.use(initReactI18next).init({
  resources: { vi: { translation: vi }, en: { translation: en } },
  lng: initialLanguage(),
  fallbackLng: false,
  keySeparator: false,
  nsSeparator: false,
  interpolation: { prefix: '{', suffix: '}', escapeValue: false },
  returnNull: false,
  initAsync: false,
});

/** A key known only at run time, in the current language: its words, or null when it has none. */
export const lookup: Lookup = (key, values) => (i18n.exists(key) ? i18n.t(key, values) : null);

interface I18n {
  language: Language;
  setLanguage: (language: Language) => void;
  t: Translate;
  locale: string;
}

export function I18nProvider({ children }: { children: ReactNode }) {
  useEffect(() => {
    document.documentElement.lang = i18n.language;
  }, []);
  return <I18nextProvider i18n={i18n}>{children}</I18nextProvider>;
}

export function useI18n(): I18n {
  const { t: translate, i18n: instance } = useTranslation();
  const language: Language = instance.language === 'en' ? 'en' : 'vi';
  const t: Translate = (key, values) => translate(key, values);
  return {
    language,
    setLanguage: (next) => {
      localStorage.setItem(LANGUAGE_KEY, next);
      document.documentElement.lang = next;
      void instance.changeLanguage(next);
    },
    t,
    locale: language === 'vi' ? 'vi-VN' : 'en-GB',
  };
}
