import { QueryClient, useMutation, useQuery } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { apiGet, ApiError, onWrite } from '../api';
import { errorInWords, useI18n } from '../i18n';

/** The web app's one server-state cache: a read is shared, retried once, refreshed on focus. */
export const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      staleTime: 15_000,
      // Asked even with no signal: the service worker answers with what it kept.
      networkMode: 'offlineFirst',
      // A refusal (403, 404, 422) will not change by asking again; a lost connection might.
      retry: (count, error) => !(error instanceof ApiError && error.status < 500) && count < 1,
    },
  },
});

/** A GET of the API, cached under its path: `['/households/…']`. */
export function useApi<T>(path: string | null) {
  return useQuery({
    queryKey: [path],
    queryFn: ({ signal }) => apiGet<T>(path!, signal),
    enabled: path !== null,
  });
}

/** A write of the API; every cached read is refreshed after it (see `onWrite` below). */
export function useApiMutation<Input, Output>(send: (input: Input) => Promise<Output>) {
  return useMutation({ mutationFn: send });
}

// Whatever page wrote (a form here, the map's drawing tool, an import), the reads on screen
// are fetched again, so no page shows what was true before a write that has answered.
onWrite(() => void queryClient.invalidateQueries());

/** A read's three states: loading, failed in words (never shown as "nothing here"), or its data. */
export function Loaded<T>({
  query,
  children,
}: {
  query: { data: T | undefined; error: Error | null; isPending: boolean };
  children: (data: T) => ReactNode;
}) {
  const { t } = useI18n();
  if (query.error)
    return (
      <p role="alert" className="load-error">
        {t('common.loadFailed', { message: apiErrorInWords(t, query.error) })}
      </p>
    );
  if (query.isPending || query.data === undefined)
    return <p className="loading">{t('common.loading')}</p>;
  return <>{children(query.data)}</>;
}

/** A record's related records (a household's plots, a zone's plots) as a list, or "none yet". */
export function RelatedList<T extends { id: string }>({
  query,
  columns = false,
  children,
}: {
  query: { data: { items: T[] } | undefined; error: Error | null; isPending: boolean };
  /** Many short items: laid out in columns. */
  columns?: boolean;
  children: (item: T) => ReactNode;
}) {
  const { t } = useI18n();
  return (
    <Loaded query={query}>
      {(page) =>
        page.items.length === 0 ? (
          <p className="empty">{t('common.none')}</p>
        ) : (
          <ul className={columns ? 'related columns' : 'related'}>
            {page.items.map((item) => (
              <li key={item.id}>{children(item)}</li>
            ))}
          </ul>
        )
      }
    </Loaded>
  );
}

/** Any failure of a request, in the user's language. */
export function apiErrorInWords(t: ReturnType<typeof useI18n>['t'], error: unknown): string {
  if (error instanceof ApiError) return errorInWords(error.body);
  return t('login.offline');
}
