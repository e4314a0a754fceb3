import type { Page } from '@huuco/domain';

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
