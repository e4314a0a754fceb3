import { inject } from 'vitest';
import { DEMO_PASSWORD } from './browser.js';

/** The API as a test's setup uses it: what the browser is then tried on is made through HTTP. */
export async function api<T>(token: string | null, path: string, body?: unknown): Promise<T> {
  const response = await fetch(`${inject('baseUrl')}/api/v1${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: {
      'content-type': 'application/json',
      ...(token && { authorization: `Bearer ${token}` }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const answer = (await response.json()) as T;
  if (!response.ok) throw new Error(`${path}: ${response.status} ${JSON.stringify(answer)}`);
  return answer;
}

/** A demo account's access token. */
export const session = async (username: string) =>
  (
    await api<{ accessToken: string }>(null, '/auth/login', {
      username,
      password: DEMO_PASSWORD,
    })
  ).accessToken;

/** A ring of `d` degrees square whose south-west corner is (lng, lat). */
export const square = (lng: number, lat: number, d: number) => ({
  type: 'Polygon',
  coordinates: [
    [
      [lng, lat],
      [lng + d, lat],
      [lng + d, lat + d],
      [lng, lat + d],
      [lng, lat],
    ].map(([x, y]) => [Number(x!.toFixed(7)), Number(y!.toFixed(7))]),
  ],
});
