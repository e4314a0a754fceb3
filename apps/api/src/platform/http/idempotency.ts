import { createHash } from 'node:crypto';
import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import type { DataSource, EntityManager } from 'typeorm';
import { canonicalJson } from './canonical-json.js';
import { fieldError } from './domain-error.js';

const KEY = /^[A-Za-z0-9_.:-]{8,100}$/;

/** The request's `Idempotency-Key` header, or null when it has none. */
export const IdempotencyKey = createParamDecorator(
  (_data: unknown, context: ExecutionContext): string | null => {
    const header = context.switchToHttp().getRequest<FastifyRequest>().headers['idempotency-key'];
    if (header === undefined) return null;
    if (typeof header !== 'string' || !KEY.test(header)) {
      throw fieldError(
        'IDEMPOTENCY_KEY_INVALID',
        'Idempotency-Key',
        'An Idempotency-Key is 8 to 100 letters, digits or . _ : - (a UUID made on the device).',
      );
    }
    return header;
  },
);

/** One write sent with a key: which user, which route, what it asked. */
export interface KeyedRequest {
  userId: string;
  key: string;
  /** The route with its parameters, e.g. `POST /inspections/…/record`. */
  route: string;
  body: unknown;
}

/** The keyed request, or null for a write sent without a key. */
export function keyedRequest(
  userId: string,
  key: string | null,
  route: string,
  body: unknown,
): KeyedRequest | null {
  return key === null ? null : { userId, key, route, body };
}

class AlreadyAnswered extends Error {}

const sha256 = (request: KeyedRequest) =>
  createHash('sha256')
    .update(canonicalJson({ route: request.route, body: request.body }))
    .digest('hex');

/** The answer kept for a key; a key already used for another request is refused. */
async function keptAnswer<T>(manager: EntityManager, request: KeyedRequest): Promise<T | null> {
  const [row] = await manager.query<{ request_sha256: string; answer: T }[]>(
    'SELECT request_sha256, answer FROM idempotent_requests WHERE user_id = $1 AND key = $2',
    [request.userId, request.key],
  );
  if (!row) return null;
  if (row.request_sha256 !== sha256(request)) {
    throw fieldError(
      'IDEMPOTENCY_KEY_REUSED',
      'Idempotency-Key',
      'This key was already used for another request; make a new key for a new record.',
    );
  }
  return row.answer;
}

/**
 * Writes sent with a key happen once. The key is claimed inside the write's own transaction and
 * the answer kept with it, so the two commit together or not at all: a repeat after a lost answer
 * gets the first answer, a repeat sent while the first is still running waits for it, and a
 * refused request leaves no trace (corrected, it may be sent again with the same key).
 */
export const idempotency = {
  /** The first answer when this key was already used: the caller answers it and writes nothing. */
  answered<T>(manager: EntityManager, request: KeyedRequest | null): Promise<T | null> {
    return request ? keptAnswer<T>(manager, request) : Promise.resolve(null);
  },

  /** Runs `write` in a transaction at most once per key; without a key, just in a transaction. */
  async transaction<T>(
    db: DataSource,
    request: KeyedRequest | null,
    write: (manager: EntityManager) => Promise<T>,
  ): Promise<T> {
    if (!request) return db.transaction(write);
    try {
      return await db.transaction(async (manager) => {
        // Waits on a parallel repeat's uncommitted claim; claims nothing if that one committed.
        const claimed = await manager.query<unknown[]>(
          `INSERT INTO idempotent_requests (user_id, key, route, request_sha256)
           VALUES ($1, $2, $3, $4) ON CONFLICT (user_id, key) DO NOTHING RETURNING key`,
          [request.userId, request.key, request.route, sha256(request)],
        );
        if (claimed.length === 0) throw new AlreadyAnswered();
        const answer = await write(manager);
        await manager.query(
          'UPDATE idempotent_requests SET answer = $3 WHERE user_id = $1 AND key = $2',
          [request.userId, request.key, JSON.stringify(answer)],
        );
        return answer;
      });
    } catch (error) {
      if (!(error instanceof AlreadyAnswered)) throw error;
      return (await keptAnswer<T>(db.manager, request))!;
    }
  },
};
