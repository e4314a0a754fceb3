import type { ErrorBody } from '@huuco/domain';

export class ApiError extends Error {
  constructor(readonly body: ErrorBody) {
    super(body.message);
  }
}

/** The web app's one HTTP client. */
export async function apiGet<T>(path: string, signal?: AbortSignal): Promise<T> {
  const response = await fetch(`/api/v1${path}`, {
    signal,
    headers: { accept: 'application/json' },
  });
  const body = (await response.json()) as unknown;
  if (!response.ok) throw new ApiError(body as ErrorBody);
  return body as T;
}
