import { QueryClient, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { apiGet, ApiError } from '../api';
import { errorInWords, useI18n } from '../i18n';

/** The web app's one server-state cache: a read is shared, retried once, refreshed on focus. */
export const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      staleTime: 15_000,
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

/**
 * A write of the API; on success every cached read under one of `invalidates` (path prefixes)
 * is read again, so lists and record pages show what was just saved.
 */
export function useApiMutation<Input, Output>(
  send: (input: Input) => Promise<Output>,
  invalidates: string[],
) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: send,
    onSuccess: () => invalidate(client, invalidates),
  });
}

/** Reads every cached GET under one of the path prefixes again. */
export function invalidate(client: QueryClient, prefixes: string[]): Promise<void> {
  return client.invalidateQueries({
    predicate: (query) =>
      typeof query.queryKey[0] === 'string' &&
      prefixes.some((prefix) => (query.queryKey[0] as string).startsWith(prefix)),
  });
}

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

/** Any failure of a request, in the user's language. */
export function apiErrorInWords(t: ReturnType<typeof useI18n>['t'], error: unknown): string {
  if (error instanceof ApiError) return errorInWords(t, error.body);
  return t('login.offline');
}
