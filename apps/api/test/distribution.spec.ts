import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PLACEMENT } from '../src/platform/database/distribution.js';
import { startTestApp, type TestApp } from './support/test-app.js';

let api: TestApp;

beforeAll(async () => {
  api = await startTestApp();
});
afterAll(() => api.close());

describe('where each table goes on a Citus cluster', () => {
  it('names a placement for every table, and only tables that exist', async () => {
    const rows = await api.db.query<{ table_name: string }[]>(
      `SELECT table_name FROM information_schema.tables
        WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'`,
    );
    expect(rows.map((r) => r.table_name).sort()).toEqual(Object.keys(PLACEMENT).sort());
  });

  it('distributes each table by a column it has, except those whose column is still to add', async () => {
    const columns = await api.db.query<{ table_name: string; column_name: string }[]>(
      `SELECT table_name, column_name FROM information_schema.columns
        WHERE table_schema = current_schema()`,
    );
    const has = (table: string, column: string) =>
      columns.some((c) => c.table_name === table && c.column_name === column);
    for (const [table, placement] of Object.entries(PLACEMENT)) {
      if (placement.kind !== 'distributed') continue;
      // A column marked "to add" that the schema has already is no longer a gap: unmark it.
      expect(has(table, placement.by), `${table}.${placement.by}`).toBe(!placement.toAdd);
      if (placement.colocatedWith)
        expect(PLACEMENT[placement.colocatedWith]?.kind, table).toBe('distributed');
    }
  });
});
