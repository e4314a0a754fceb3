import { ErrorCode } from '@huuco/domain';
import { describe, expect, it } from 'vitest';
import { dictionaries } from './i18n';

const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe('translations', () => {
  it.each(Object.values(ErrorCode))('say %s in Vietnamese and in English', (code) => {
    const key = `error.${code}` as keyof typeof dictionaries.vi;
    expect(dictionaries.vi[key], `no Vietnamese text for ${code}`).toBeTruthy();
    expect(dictionaries.en[key], `no English text for ${code}`).toBeTruthy();
  });

  it('fill the same blanks in both languages', () => {
    const differing = Object.keys(dictionaries.vi).filter((key) => {
      const k = key as keyof typeof dictionaries.vi;
      return placeholders(dictionaries.vi[k]).join() !== placeholders(dictionaries.en[k]).join();
    });
    expect(differing).toEqual([]);
  });
});
