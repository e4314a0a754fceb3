/** Rows an UPDATE … RETURNING touched: TypeORM answers `[rows, count]` for it on pg. */
export function affectedRows(result: unknown): number {
  if (
    Array.isArray(result) &&
    result.length === 2 &&
    Array.isArray(result[0]) &&
    typeof result[1] === 'number'
  ) {
    return result[1];
  }
  return Array.isArray(result) ? result.length : 0;
}
