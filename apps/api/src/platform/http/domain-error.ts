import type { ErrorCode, FieldError } from '@huuco/domain';

/** A failure the user can act on. The HTTP status comes from the code, in one place. */
export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly errors?: FieldError[],
  ) {
    super(message);
  }
}

export function notFound(entity: string, id: string): DomainError {
  return new DomainError('NOT_FOUND', `${entity} ${id} does not exist.`, [
    { path: 'id', code: 'NOT_FOUND', message: `No ${entity.toLowerCase()} with this id.` },
  ]);
}

export function referenceNotFound(path: string, entity: string): DomainError {
  return new DomainError(
    'REFERENCE_NOT_FOUND',
    `The ${entity.toLowerCase()} named in ${path} does not exist.`,
    [{ path, code: 'REFERENCE_NOT_FOUND', message: `No ${entity.toLowerCase()} with this id.` }],
  );
}

/** An error about one field: the code names both the failure and the field's complaint. */
export function fieldError(
  code: ErrorCode,
  path: string,
  message: string,
  detail: Record<string, unknown> = {},
): DomainError {
  return new DomainError(code, message, [{ path, code, message, ...detail }]);
}
