import type { Page } from '@huuco/domain';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useId, useState, type ReactNode } from 'react';
import { Link, useSearchParams } from 'react-router';
import { apiGet } from './api';
import { Loaded } from './app/query';
import { ExportButtons } from './district/ExportButtons';
import { useI18n } from './i18n';

export interface Column<T> {
  header: string;
  cell: (row: T) => ReactNode;
  numeric?: boolean;
  /** Hidden on narrow phones. */
  optional?: boolean;
}

/**
 * A list endpoint as a table, the same everywhere: a search box, sorting, twenty rows a page,
 * the list's export; the search, sort and page live in the address, so a reload or the back
 * button returns to the same rows. Several tables on one page keep theirs apart by `name`.
 */
export function PagedTable<T extends { id: string }>({
  title,
  path,
  columns,
  name = '',
  search = false,
  sorts,
  rowLink,
  exportName,
  actions,
  rowClass,
  defaultOrder = 'asc',
}: {
  title: string;
  /** The list's path, with any fixed query (`/zones?kind=organic`). */
  path: string;
  columns: Column<T>[];
  name?: string;
  /** The API's `q` filter: a box to search by. */
  search?: boolean;
  /** The API's sortable fields, each with its label; the first is the default. */
  sorts?: { value: string; label: string }[];
  /** Where a row leads: its record page. */
  rowLink?: (row: T) => string;
  exportName?: string;
  actions?: ReactNode;
  /** A class for a row that reads differently (a recalled lot). */
  rowClass?: (row: T) => string | undefined;
  /** Newest first where that is what people look for. */
  defaultOrder?: 'asc' | 'desc';
}) {
  const { t } = useI18n();
  const [params, setParams] = useSearchParams();
  const key = (k: string) => (name ? `${name}.${k}` : k);
  const page = Math.max(1, Number(params.get(key('page')) ?? 1) || 1);
  const q = params.get(key('q')) ?? '';
  const sort = params.get(key('sort')) ?? sorts?.[0]?.value;
  const order = (params.get(key('order')) ?? defaultOrder) === 'desc' ? 'desc' : 'asc';
  const [typed, setTyped] = useState(q);
  const sortId = useId();

  const update = (changes: Record<string, string | null>) =>
    setParams(
      (current) => {
        const next = new URLSearchParams(current);
        for (const [k, v] of Object.entries(changes)) {
          if (v === null || v === '') next.delete(key(k));
          else next.set(key(k), v);
        }
        return next;
      },
      { replace: true },
    );

  const query = new URLSearchParams(path.includes('?') ? path.slice(path.indexOf('?') + 1) : '');
  query.set('page', String(page));
  query.set('pageSize', '20');
  if (q) query.set('q', q);
  if (sort) query.set('sort', sort);
  if (sorts) query.set('order', order);
  const url = `${path.split('?')[0]}?${query.toString()}`;
  const result = useQuery({
    queryKey: [url],
    queryFn: ({ signal }) => apiGet<Page<T>>(url, signal),
    placeholderData: keepPreviousData,
  });

  return (
    <section className="paged-table">
      <div className="list-head">
        <h2>{title}</h2>
        <div className="list-tools">
          {actions}
          {exportName && (
            <ExportButtons name={exportName} query={q ? `?q=${encodeURIComponent(q)}` : ''} />
          )}
        </div>
      </div>
      {(search || sorts) && (
        <form
          className="list-filters"
          role="search"
          onSubmit={(e) => {
            e.preventDefault();
            update({ q: typed.trim(), page: null });
          }}
        >
          {search && (
            <label>
              <span className="visually-hidden">{t('list.search')}</span>
              <input
                type="search"
                value={typed}
                placeholder={t('list.search')}
                onChange={(e) => setTyped(e.target.value)}
              />
            </label>
          )}
          {search && <button type="submit">{t('list.find')}</button>}
          {sorts && (
            <>
              <label htmlFor={sortId}>{t('list.sort')}</label>
              <select
                id={sortId}
                value={sort}
                onChange={(e) => update({ sort: e.target.value, page: null })}
              >
                {sorts.map((s) => (
                  <option key={s.value} value={s.value}>
                    {s.label}
                  </option>
                ))}
              </select>
            </>
          )}
          {sorts && (
            <button
              type="button"
              aria-label={t(order === 'asc' ? 'list.ascending' : 'list.descending')}
              onClick={() => update({ order: order === 'asc' ? 'desc' : 'asc', page: null })}
            >
              {order === 'asc' ? '↑' : '↓'}
            </button>
          )}
        </form>
      )}
      <Loaded query={result}>
        {(data) => {
          const pages = Math.max(1, Math.ceil(data.total / data.pageSize));
          return (
            <>
              {data.items.length === 0 ? (
                <p className="empty">{q ? t('list.noMatch', { q }) : t('list.empty')}</p>
              ) : (
                <div className="table-scroll">
                  <table>
                    <thead>
                      <tr>
                        {columns.map((c) => (
                          <th key={c.header} className={cellClass(c)}>
                            {c.header}
                          </th>
                        ))}
                      </tr>
                    </thead>
                    <tbody>
                      {data.items.map((row) => (
                        <tr key={row.id} className={rowClass?.(row)}>
                          {columns.map((c, i) => (
                            <td key={c.header} className={cellClass(c)}>
                              {rowLink && i === 0 ? (
                                <Link to={rowLink(row)}>{c.cell(row)}</Link>
                              ) : (
                                c.cell(row)
                              )}
                            </td>
                          ))}
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </div>
              )}
              <div className="pager">
                <button
                  type="button"
                  disabled={page <= 1}
                  onClick={() => update({ page: String(page - 1) })}
                >
                  {t('registry.prev')}
                </button>
                <span>{t('registry.page', { page, pages, count: data.total })}</span>
                <button
                  type="button"
                  disabled={page >= pages}
                  onClick={() => update({ page: String(page + 1) })}
                >
                  {t('registry.next')}
                </button>
              </div>
            </>
          );
        }}
      </Loaded>
    </section>
  );
}

function cellClass(c: { numeric?: boolean; optional?: boolean }): string {
  return `${c.numeric ? 'num' : ''} ${c.optional ? 'optional' : ''}`.trim();
}
