import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cbvEventId, preHashString } from './cbv-event-hash.js';

const VECTORS = resolve(import.meta.dirname, '../../../test/standards/cbv-2.0-event-hash');

function documentOf(name: string) {
  const doc = JSON.parse(readFileSync(join(VECTORS, `${name}.jsonld`), 'utf8'));
  const namespaces: Record<string, string> = {};
  for (const entry of doc['@context'] as unknown[])
    if (entry && typeof entry === 'object') Object.assign(namespaces, entry);
  return { events: doc.epcisBody.eventList as Record<string, unknown>[], namespaces };
}

describe('the CBV 2.0 event hash', () => {
  const names = readdirSync(VECTORS)
    .filter((f) => f.endsWith('.hashes'))
    .map((f) => f.replace(/\.hashes$/, ''));

  it.each(names)('gives the reference event IDs for %s', (name) => {
    const { events, namespaces } = documentOf(name);
    const expected = readFileSync(join(VECTORS, `${name}.hashes`), 'utf8')
      .split('\n')
      .filter(Boolean);
    const prehashes = (() => {
      try {
        return readFileSync(join(VECTORS, `${name}.prehashes`), 'utf8')
          .split('\n')
          .filter(Boolean);
      } catch {
        return [];
      }
    })();
    events.forEach((event, i) => {
      const id = cbvEventId(event, namespaces);
      if (id !== expected[i] && prehashes[i])
        expect(preHashString(event, namespaces)).toBe(prehashes[i]);
      expect(id, `${name} event ${i}`).toBe(expected[i]);
    });
  });
});
