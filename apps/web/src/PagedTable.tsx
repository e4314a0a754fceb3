import type { Page } from '@huuco/domain';
import { useEffect, useState, type ReactNode } from 'react';
import { apiGet } from './api';
import { useI18n } from './i18n';

export interface Column<T> {
  header: string;
  cell: (row: T) => ReactNode;
  numeric?: boolean;
  /** Hidden on narrow phones. */
  optional?: boolean;
}

/** A list endpoint as a table, twenty rows a page. */
export function PagedTable<T extends { id: string }>({
  title,
  path,
  columns,
}: {
  title: string;
  path: string;
  columns: Column<T>[];
}) {
  const { t } = useI18n();
  const [page, setPage] = useState(1);
  const [data, setData] = useState<Page<T> | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    const controller = new AbortController();
    apiGet<Page<T>>(
      `${path}${path.includes('?') ? '&' : '?'}page=${page}&pageSize=20`,
      controller.signal,
    )
      .then(setData)
      .catch((e: Error) => e.name !== 'AbortError' && setError(e.message));
    return () => controller.abort();
  }, [path, page]);

  const pages = data ? Math.max(1, Math.ceil(data.total / data.pageSize)) : 1;
  return (
    <section>
      <h2>{title}</h2>
      {error && <p>{t('common.error', { message: error })}</p>}
      {!data && !error && <p>{t('common.loading')}</p>}
      {data && (
        <>
          <table>
            <thead>
              <tr>
                {columns.map((c) => (
                  <th
                    key={c.header}
                    className={`${c.numeric ? 'num' : ''} ${c.optional ? 'optional' : ''}`}
                  >
                    {c.header}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {data.items.map((row) => (
                <tr key={row.id}>
                  {columns.map((c) => (
                    <td
                      key={c.header}
                      className={`${c.numeric ? 'num' : ''} ${c.optional ? 'optional' : ''}`}
                    >
                      {c.cell(row)}
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
          <div className="pager">
            <button disabled={page <= 1} onClick={() => setPage(page - 1)}>
              {t('registry.prev')}
            </button>
            <span>{t('registry.page', { page, pages, total: data.total })}</span>
            <button disabled={page >= pages} onClick={() => setPage(page + 1)}>
              {t('registry.next')}
            </button>
          </div>
        </>
      )}
    </section>
  );
}
