import pg from 'pg';
import { parse } from 'libpg-query';
import { PLACEMENT } from '../../src/platform/database/distribution.js';

/** What a statement that is a cross-shard report by design says of itself, with its reason. */
const CROSS_SHARD = /\/\*\s*cross-shard:\s*\S[^*]*\*\//;

/**
 * Every distinct statement the API sends while `capture` runs: through TypeORM and through the
 * pool the public pages read from, on either database (both speak through node-postgres).
 */
export async function captureStatements(work: () => Promise<void>): Promise<Set<string>> {
  const seen = new Set<string>();
  const query = pg.Client.prototype.query;
  pg.Client.prototype.query = function (this: pg.Client, ...args: unknown[]) {
    const first = args[0] as string | { text?: string };
    const text = typeof first === 'string' ? first : first?.text;
    if (text) seen.add(text);
    return (query as (...a: unknown[]) => unknown).apply(this, args);
  } as typeof query;
  try {
    await work();
  } finally {
    pg.Client.prototype.query = query;
  }
  return seen;
}

type Node = Record<string, unknown>;

function* nodes(value: unknown, key = ''): Generator<[string, Node]> {
  if (Array.isArray(value)) for (const item of value) yield* nodes(item, key);
  else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value as Node)) {
      if (v && typeof v === 'object' && !Array.isArray(v)) yield [k, v as Node];
      yield* nodes(v, k);
    }
  }
}

/** A column as a condition names it: `[alias, column]` or `[column]`; null for anything else. */
function columnOf(expression: unknown): string[] | null {
  let node = expression as Node | undefined;
  while (node?.['TypeCast']) node = (node['TypeCast'] as Node)['arg'] as Node;
  const ref = node?.['ColumnRef'] as Node | undefined;
  if (!ref) return null;
  return (ref['fields'] as { String?: { sval: string } }[]).map((f) => f.String?.sval ?? '*');
}

interface TableUse {
  table: string;
  alias: string;
  /** For the target of an INSERT: the columns it gives. */
  inserted?: string[];
}

/**
 * The distributed tables a statement names without filtering them by their distribution column,
 * as `table (alias)`. A table is filtered when a condition (a WHERE, a JOIN's ON) sets its
 * distribution column equal to, or among, values — a parameter, a constant, a subquery's
 * rows — or equal to the distribution column of a table that is itself filtered (a co-located
 * join); a row inserted is placed by the column's value. A table whose column is still to add
 * (`toAdd`) is counted in `distribution.ts` instead. The check reads conditions, not logic: a
 * filter under an OR counts as a filter.
 */
export async function unfilteredTables(sql: string): Promise<string[]> {
  if (CROSS_SHARD.test(sql)) return [];
  const tree = await parse(sql);
  const tables: TableUse[] = [];
  const valued: string[][] = [];
  const joined: [string[], string[]][] = [];
  const condition = (node: Node) => {
    for (const [key, inner] of nodes({ node })) {
      if (key === 'A_Expr') {
        const op = (inner['name'] as { String: { sval: string } }[])[0]?.String.sval;
        if (op !== '=') continue;
        const left = columnOf(inner['lexpr']);
        const right = columnOf(inner['rexpr']);
        if (left && right) joined.push([left, right]);
        else if (left) valued.push(left);
        else if (right) valued.push(right);
      }
      if (key === 'SubLink' && inner['subLinkType'] === 'ANY_SUBLINK') {
        const tested = columnOf(inner['testexpr']);
        if (tested) valued.push(tested);
      }
    }
  };
  for (const [key, node] of nodes(tree)) {
    if (key === 'whereClause' || key === 'quals' || key === 'joinQual') condition(node);
    if (key === 'RangeVar') {
      const table = node['relname'] as string;
      const alias = (node['alias'] as { aliasname?: string } | undefined)?.aliasname ?? table;
      tables.push({ table, alias });
    }
    if ((key === 'UpdateStmt' || key === 'DeleteStmt') && node['relation']) {
      const relation = node['relation'] as { relname: string; alias?: { aliasname?: string } };
      tables.push({
        table: relation.relname,
        alias: relation.alias?.aliasname ?? relation.relname,
      });
    }
    if (key === 'InsertStmt') {
      const relation = node['relation'] as { relname: string };
      const columns = ((node['cols'] as { ResTarget: { name: string } }[]) ?? []).map(
        (c) => c.ResTarget.name,
      );
      tables.push({ table: relation.relname, alias: relation.relname, inserted: columns });
    }
  }

  const keyOf = (table: string) => {
    const placement = PLACEMENT[table];
    return placement?.kind === 'distributed' ? placement.by : undefined;
  };
  const tableOf = new Map(tables.map((t) => [t.alias, t.table]));
  /** The alias whose distribution column this reference is, if it is one. */
  const keyed = (ref: string[]): string | undefined => {
    const column = ref[ref.length - 1]!;
    if (ref.length >= 2) {
      const alias = ref[ref.length - 2]!;
      return keyOf(tableOf.get(alias) ?? '') === column ? alias : undefined;
    }
    const only = tables.filter((t) => keyOf(t.table) === column);
    return only.length === 1 ? only[0]!.alias : undefined;
  };
  const filtered = new Set(valued.map(keyed).filter((a): a is string => a !== undefined));
  for (let grew = true; grew;) {
    grew = false;
    for (const [a, b] of joined) {
      const [left, right] = [keyed(a), keyed(b)];
      if (!left || !right) continue;
      if (filtered.has(left) !== filtered.has(right)) {
        filtered.add(left).add(right);
        grew = true;
      }
    }
  }

  const gaps = new Set<string>();
  const inserted = new Set(tables.filter((t) => t.inserted).map((t) => t.table));
  for (const { table, alias, inserted: columns } of tables) {
    const placement = PLACEMENT[table];
    if (placement?.kind !== 'distributed' || placement.toAdd) continue;
    if (columns) {
      if (!columns.includes(placement.by) && !placement.drawnOnInsert)
        gaps.add(`${table} (insert)`);
      continue;
    }
    // The INSERT's own target appears once more as a RangeVar; it was judged above.
    if (inserted.has(table) && alias === table) continue;
    if (!filtered.has(alias)) gaps.add(alias === table ? table : `${table} (${alias})`);
  }
  return [...gaps];
}
