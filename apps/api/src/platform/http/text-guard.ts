import type { FastifyInstance } from 'fastify';

/**
 * The path of the first string holding a NUL character, which PostgreSQL cannot store in text
 * and no user means to send; null when there is none.
 */
export function firstNulPath(value: unknown, path: string[] = []): string | null {
  if (typeof value === 'string')
    return value.includes('\u0000') ? path.join('.') || '(value)' : null;
  if (Array.isArray(value)) {
    for (const [index, item] of value.entries()) {
      const found = firstNulPath(item, [...path, String(index)]);
      if (found !== null) return found;
    }
    return null;
  }
  if (value !== null && typeof value === 'object' && !Buffer.isBuffer(value)) {
    for (const [key, item] of Object.entries(value)) {
      if (key.includes('\u0000')) return [...path, key].join('.');
      const found = firstNulPath(item, [...path, key]);
      if (found !== null) return found;
    }
  }
  return null;
}

/** Answers 400 with the field named, before any handler sees a NUL in a path, query or body. */
export function refuseNulCharacters(fastify: FastifyInstance): void {
  fastify.addHook('preValidation', async (request, reply) => {
    const path =
      firstNulPath(request.params) ?? firstNulPath(request.query) ?? firstNulPath(request.body);
    if (path === null) return;
    await reply.status(400).send({
      statusCode: 400,
      code: 'VALIDATION_FAILED',
      message: 'The request holds a NUL character.',
      errors: [{ path, code: 'INVALID_CHARACTER', message: 'NUL characters are not accepted.' }],
    });
  });
}
