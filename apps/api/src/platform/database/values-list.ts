/**
 * The `VALUES` of a multi-row INSERT: `($1, $2::uuid, …), ($n, …)` for rows given as arrays of
 * values, one cast per column (`''` for none), with the parameters in the same order.
 */
export function valuesList(
  rows: readonly (readonly unknown[])[],
  casts: readonly string[],
): { sql: string; params: unknown[] } {
  const sql = rows
    .map((_, n) => {
      const columns = casts.map((cast, k) => `$${n * casts.length + k + 1}${cast && `::${cast}`}`);
      return `(${columns.join(', ')})`;
    })
    .join(', ');
  return { sql, params: rows.flat() };
}
