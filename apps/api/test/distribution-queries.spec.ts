import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiRoutes, concretePath } from './support/routes.js';
import { captureStatements, unfilteredTables } from './support/shard-keys.js';
import { startTestApp, type Client, type TestApp } from './support/test-app.js';
import {
  aggregate,
  certifiedFarm,
  contractedBuyer,
  deliver,
  harvest,
} from './support/trace-fixtures.js';

let api: TestApp;

beforeAll(async () => {
  api = await startTestApp({ env: { LOGIN_RATE_LIMIT_PER_MINUTE: '10000' } });
});
afterAll(() => api.close());

describe('how a statement finds its shard', () => {
  it('judges a statement by its conditions, its inserted columns and its mark', async () => {
    expect(await unfilteredTables('SELECT * FROM lots l WHERE l.id = $1')).toEqual(['lots (l)']);
    expect(
      await unfilteredTables('SELECT * FROM lots l WHERE l.id = $1 AND l.cooperative_id = $2'),
    ).toEqual([]);
    // Another table's column of the same name does not place this one.
    expect(
      await unfilteredTables(
        'SELECT * FROM lots l JOIN harvests h ON h.lot_id = l.id WHERE l.cooperative_id = $1',
      ),
    ).toEqual(['harvests (h)']);
    expect(await unfilteredTables('INSERT INTO harvests (id, plot_id) VALUES ($1, $2)')).toEqual([
      'harvests (insert)',
    ]);
    expect(
      await unfilteredTables('INSERT INTO harvests (id, cooperative_id) VALUES ($1, $2)'),
    ).toEqual([]);
    expect(await unfilteredTables('UPDATE plots SET name = $2 WHERE id = $1')).toEqual(['plots']);
    expect(
      await unfilteredTables('SELECT count(*) FROM lots /* cross-shard: the district total */'),
    ).toEqual([]);
    // Joined on its distribution column to a filtered table, a table is on the same shards.
    expect(
      await unfilteredTables(
        'SELECT * FROM lots l JOIN harvests h ON h.cooperative_id = l.cooperative_id AND h.lot_id = l.id WHERE l.cooperative_id = ANY($1)',
      ),
    ).toEqual([]);
    // Joined to the tenant table with nothing to pick the tenant, it is on every shard.
    expect(
      await unfilteredTables(
        'SELECT * FROM plots p JOIN cooperatives c ON c.id = p.cooperative_id WHERE p.id = $1',
      ),
    ).toEqual(['plots (p)']);
    expect(
      await unfilteredTables(
        'SELECT * FROM plots p WHERE p.cooperative_id IN (SELECT sc.id FROM cooperatives sc WHERE sc.commune_id = ANY($1))',
      ),
    ).toEqual([]);
    // A table whose column is still to add is counted in distribution.ts, not here.
    expect(await unfilteredTables('SELECT * FROM plot_revisions WHERE plot_id = $1')).toEqual([]);
    // Reference tables go everywhere.
    expect(await unfilteredTables('SELECT * FROM zones WHERE id = $1')).toEqual([]);
  });
});

/** Every GET the API declares, as this client, with the ids it is given where it has them. */
async function readEverything(client: Client, ids: Record<string, string>) {
  for (const route of apiRoutes(api.app)) {
    if (route.method !== 'GET') continue;
    const resource = route.path.split('/')[1] ?? '';
    const path = route.path.includes(':')
      ? route.path.replace(/:[A-Za-z]+/, ids[resource] ?? ':x')
      : route.path;
    await client.get(concretePath(path));
  }
}

describe('where each query goes on a Citus cluster', () => {
  it('filters every distributed table by its distribution column, or says it is a cross-shard report', async () => {
    const statements = await captureStatements(async () => {
      const farm = await certifiedFarm(api, 2);
      const a = await harvest(farm, 0, 450);
      const b = await harvest(farm, 1, 480);
      const lot = (
        await aggregate(farm, [
          { harvestId: a.id, quantityKg: 450 },
          { harvestId: b.id, quantityKg: 480 },
        ])
      ).body[0] as { id: string; provenanceUrl: string };
      const { user: buyer, contractId } = await contractedBuyer(api, farm);
      await deliver(farm, contractId, lot.id, 300);
      await fetch(`${api.url}${lot.provenanceUrl.replace(/^https?:\/\/[^/]+/, '')}`);
      const ids = {
        lots: lot.id,
        harvests: a.id,
        plots: farm.plotIds[0]!,
        households: farm.household.id,
        cooperatives: farm.cooperative.id,
        zones: farm.zone.id,
        contracts: contractId,
      };
      for (const client of [farm.manager, buyer, api]) await readEverything(client, ids);
    });
    const gaps: string[] = [];
    for (const sql of statements) {
      const tables = await unfilteredTables(sql);
      if (tables.length) gaps.push(`${tables.join(', ')}: ${sql.replace(/\s+/g, ' ').trim()}`);
    }
    expect(statements.size).toBeGreaterThan(100);
    expect(gaps.sort().map((gap) => gap.slice(0, 400))).toEqual([]);
  });
});
