import type { ErrorBody, MeDto, SessionDto } from '@huuco/domain';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly body: ErrorBody,
  ) {
    super(body.message);
  }
}

const REFRESH_KEY = 'huuco.refreshToken';
/** The user the stored refresh token belongs to: who opens the app again with no signal. */
const USER_KEY = 'huuco.user';
/** What the service worker keeps of the API's answers (see vite.config.ts). */
export const API_CACHE = 'huuco-api';

/** A request that never reached the server (no signal), unlike one it refused. */
export class OfflineError extends Error {}

/** The session the web app holds: access token in memory, refresh token across reloads. */
const session = {
  accessToken: null as string | null,
  listeners: new Set<(session: SessionDto | null) => void>(),
};

function publish(next: SessionDto | null): void {
  session.accessToken = next?.accessToken ?? null;
  if (next) {
    localStorage.setItem(REFRESH_KEY, next.refreshToken);
    localStorage.setItem(USER_KEY, JSON.stringify(next.user));
  } else {
    localStorage.removeItem(REFRESH_KEY);
    localStorage.removeItem(USER_KEY);
    // What one user read is not shown to the next one on this device, even with no signal.
    void globalThis.caches?.delete(API_CACHE);
  }
  for (const listener of session.listeners) listener(next);
}

/** The user last logged in on this device, while their refresh token is kept. */
export function rememberedUser(): MeDto | null {
  const stored = localStorage.getItem(REFRESH_KEY) && localStorage.getItem(USER_KEY);
  return stored ? (JSON.parse(stored) as MeDto) : null;
}

const writeListeners = new Set<() => void>();

/** Called after every write the API accepted: what was read before may have changed. */
export function onWrite(listener: () => void): () => void {
  writeListeners.add(listener);
  return () => writeListeners.delete(listener);
}

function written(method: string): void {
  if (method !== 'GET') for (const listener of writeListeners) listener();
}

export function onSessionChange(listener: (session: SessionDto | null) => void): () => void {
  session.listeners.add(listener);
  return () => session.listeners.delete(listener);
}

async function send<T>(
  method: string,
  path: string,
  body?: unknown,
  signal?: AbortSignal,
  token = session.accessToken,
  extraHeaders: Record<string, string> = {},
) {
  const headers: Record<string, string> = { accept: 'application/json', ...extraHeaders };
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (token) headers['authorization'] = `Bearer ${token}`;
  let response: Response;
  try {
    response = await fetch(`/api/v1${path}`, {
      method,
      signal,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch (error) {
    // Cancelled by the app, it is not the network's doing; timed out, it is.
    if (signal?.aborted && !isTimeout(signal)) throw error;
    throw new OfflineError(String(error));
  }
  const text = await response.text();
  const parsed = text ? (JSON.parse(text) as unknown) : undefined;
  if (!response.ok) throw new ApiError(response.status, parsed as ErrorBody);
  return parsed as T;
}

function isTimeout(signal: AbortSignal): boolean {
  return (signal.reason as { name?: string } | undefined)?.name === 'TimeoutError';
}

/**
 * How long a renewal of the session, or a record the device sends, may stay unanswered: a
 * request sent as the signal came or went may never settle, and the next ones wait behind it.
 * Timed out, it is tried again like one that found no signal.
 */
const REFRESH_UNANSWERED_MS = 10_000;
const SEND_UNANSWERED_MS = 20_000;

let refreshing: Promise<SessionDto | null> | null = null;

/** One refresh at a time, however many requests found their token expired together. */
export function refreshSession(): Promise<SessionDto | null> {
  refreshing ??= (async () => {
    const refreshToken = localStorage.getItem(REFRESH_KEY);
    if (!refreshToken) return null;
    try {
      const next = await send<SessionDto>(
        'POST',
        '/auth/refresh',
        { refreshToken },
        AbortSignal.timeout(REFRESH_UNANSWERED_MS),
        null,
      );
      publish(next);
      return next;
    } catch (error) {
      // No signal, or a server busy or failing for now, is not a logout: the token is kept and
      // asked with again later. Only the server's refusal of the token ends the session.
      if (error instanceof OfflineError) throw error;
      if (error instanceof ApiError && (error.status === 429 || error.status >= 500)) throw error;
      publish(null);
      return null;
    }
  })().finally(() => {
    refreshing = null;
  });
  return refreshing;
}

async function withSession<T>(
  method: string,
  path: string,
  body?: unknown,
  signal?: AbortSignal,
  headers?: Record<string, string>,
): Promise<T> {
  let answer: T;
  try {
    answer = await send<T>(method, path, body, signal, session.accessToken, headers);
  } catch (error) {
    if (!(error instanceof ApiError) || error.status !== 401) throw error;
    if (!(await refreshSession())) throw error;
    answer = await send<T>(method, path, body, signal, session.accessToken, headers);
  }
  written(method);
  return answer;
}

/** The web app's one HTTP client. */
export function apiGet<T>(path: string, signal?: AbortSignal): Promise<T> {
  return withSession<T>('GET', path, undefined, signal);
}

export function apiPost<T>(path: string, body: unknown): Promise<T> {
  return withSession<T>('POST', path, body);
}

/** A write made on a device, sent with its key: however often it is sent, it happens once. */
export function apiPostOnce<T>(path: string, body: unknown, key: string): Promise<T> {
  return withSession<T>('POST', path, body, AbortSignal.timeout(SEND_UNANSWERED_MS), {
    'idempotency-key': key,
  });
}

export function apiPatch<T>(path: string, body: unknown): Promise<T> {
  return withSession<T>('PATCH', path, body);
}

export async function logIn(username: string, password: string): Promise<SessionDto> {
  const next = await send<SessionDto>(
    'POST',
    '/auth/login',
    { username, password },
    undefined,
    null,
  );
  publish(next);
  return next;
}

export async function logOut(): Promise<void> {
  const refreshToken = localStorage.getItem(REFRESH_KEY);
  publish(null);
  if (refreshToken)
    await send('POST', '/auth/logout', { refreshToken }, undefined, null).catch(() => undefined);
}

/** A request with files rather than JSON, with the session's token, refreshed once if it expired. */
async function sendRaw(path: string, init: RequestInit = {}): Promise<Response> {
  const attempt = () =>
    fetch(`/api/v1${path}`, {
      ...init,
      headers: {
        ...(init.headers as Record<string, string>),
        ...(session.accessToken && { authorization: `Bearer ${session.accessToken}` }),
      },
    });
  let response = await attempt();
  if (response.status === 401 && (await refreshSession())) response = await attempt();
  if (!response.ok) throw new ApiError(response.status, (await response.json()) as ErrorBody);
  written(init.method ?? 'GET');
  return response;
}

/** A file the API answers (a PDF, an image) as an object URL. */
export async function apiBlobUrl(path: string): Promise<string> {
  return URL.createObjectURL(await (await sendRaw(path)).blob());
}

/** Saves a file the API answers (an export, a template) under `filename`. */
export async function apiDownload(path: string, filename: string): Promise<void> {
  const a = document.createElement('a');
  a.href = await apiBlobUrl(path);
  a.download = filename;
  a.click();
}

/** Sends a file as the request body, its name in `x-filename`. */
export async function apiPutFile<T>(path: string, file: File): Promise<T> {
  const response = await sendRaw(path, {
    method: 'PUT',
    body: file,
    headers: {
      'content-type': file.type || 'application/octet-stream',
      'x-filename': encodeURIComponent(file.name),
    },
  });
  return (await response.json()) as T;
}

/** Sends a form with a file (multipart), as imports take it. */
export async function apiUpload<T>(path: string, form: FormData): Promise<T> {
  const response = await sendRaw(path, { method: 'POST', body: form });
  return (await response.json()) as T;
}
