import type { Page } from '@huuco/domain';
import type { ObjectLiteral, SelectQueryBuilder } from 'typeorm';

export interface PageQuery {
  page: number;
  pageSize: number;
  order: 'asc' | 'desc';
}

export function offsetOf(query: PageQuery): number {
  return (query.page - 1) * query.pageSize;
}

export function pageOf<T>(items: T[], total: number, query: PageQuery): Page<T> {
  return { items, page: query.page, pageSize: query.pageSize, total };
}

export function sqlOrder(query: PageQuery): 'ASC' | 'DESC' {
  return query.order === 'desc' ? 'DESC' : 'ASC';
}

/** Sorts (ties broken by id, so pages never overlap), pages, counts and maps a list query. */
export async function pageFrom<E extends ObjectLiteral, D>(
  qb: SelectQueryBuilder<E>,
  order: { sortColumn: string; idColumn: string },
  query: PageQuery,
  toDtos: (rows: E[]) => Promise<D[]>,
): Promise<Page<D>> {
  qb.orderBy(order.sortColumn, sqlOrder(query)).addOrderBy(order.idColumn);
  const [rows, total] = await qb.skip(offsetOf(query)).take(query.pageSize).getManyAndCount();
  return pageOf(await toDtos(rows), total, query);
}
