import { ErrorCode } from '@huuco/domain';
import { describe, expect, it } from 'vitest';
import { dictionaries, i18n } from './i18n';

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

  it('count in each language’s plural forms', () => {
    const page = (language: string, count: number) =>
      i18n.getFixedT(language)('registry.page', { page: 1, pages: 1, count });
    expect(page('en', 1)).toBe('Page 1/1 · 1 record');
    expect(page('en', 14)).toBe('Page 1/1 · 14 records');
    expect(page('vi', 1)).toBe('Trang 1/1 · 1 bản ghi');
    expect(page('vi', 14)).toBe('Trang 1/1 · 14 bản ghi');
  });
});
