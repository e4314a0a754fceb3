import { ArgumentsHost, Catch, HttpException, Logger, type ExceptionFilter } from '@nestjs/common';
import type { ErrorBody, ErrorCode } from '@huuco/domain';
import type { FastifyReply } from 'fastify';
import { QueryFailedError } from 'typeorm';
import { DomainError } from './domain-error.js';
import { CONSTRAINT_ERRORS, ERROR_STATUS } from './error-status.js';

interface PgError {
  code?: string;
  constraint?: string;
}

interface FastifyLikeError {
  code?: string;
  statusCode?: number;
}

/** Turns every failure into `{ statusCode, code, message, errors? }`; unknown ones leak nothing. */
export function toErrorBody(error: unknown): ErrorBody {
  if (error instanceof DomainError) {
    return body(error.code, error.message, error.errors);
  }
  if (error instanceof QueryFailedError) {
    return fromDatabase(error.driverError as PgError);
  }
  if ((error as FastifyLikeError | null)?.statusCode === 429) {
    return body('TOO_MANY_REQUESTS', 'Too many requests; wait a minute and try again.');
  }
  const fastify = fromFastify(error as FastifyLikeError);
  if (fastify) return fastify;
  if (error instanceof HttpException) {
    const status = error.getStatus();
    if (status === 400 && /JSON/i.test(error.message))
      return body('INVALID_JSON', 'The request body is not valid JSON.');
    if (status === 404) return body('ROUTE_NOT_FOUND', 'No such route.');
    if (status === 413) return body('PAYLOAD_TOO_LARGE', 'The request body is too large.');
    if (status === 415) return body('UNSUPPORTED_MEDIA_TYPE', 'Send application/json.');
    if (status >= 400 && status < 500) return body('VALIDATION_FAILED', error.message);
  }
  return body('INTERNAL_ERROR', 'Something went wrong on our side; nothing was saved.');
}

function body(code: ErrorCode, message: string, errors?: ErrorBody['errors']): ErrorBody {
  return errors?.length
    ? { statusCode: ERROR_STATUS[code], code, message, errors }
    : { statusCode: ERROR_STATUS[code], code, message };
}

function fromDatabase(pg: PgError): ErrorBody {
  const known = pg.constraint ? CONSTRAINT_ERRORS[pg.constraint] : undefined;
  if (known) {
    return body(known.code, known.message, [
      { path: known.path, code: known.code, message: known.message },
    ]);
  }
  switch (pg.code) {
    case '23505':
      return body('CONFLICT', 'This record already exists.');
    case '23503':
      return body('REFERENCE_NOT_FOUND', 'A referenced record does not exist.');
    case '23514':
    case '22P02':
    case '22007':
    case '22008':
    case '22003':
      return body('VALIDATION_FAILED', 'A value is out of range or malformed.');
    default:
      return body('INTERNAL_ERROR', 'Something went wrong on our side; nothing was saved.');
  }
}

function fromFastify(error: FastifyLikeError): ErrorBody | null {
  if (
    typeof error !== 'object' ||
    error === null ||
    typeof error.code !== 'string' ||
    !error.code.startsWith('FST_')
  ) {
    return null;
  }
  switch (error.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return body('PAYLOAD_TOO_LARGE', 'The request body is too large.');
    case 'FST_REQ_FILE_TOO_LARGE':
      return body('PAYLOAD_TOO_LARGE', 'The file is larger than this server takes.', [
        { path: 'file', code: 'PAYLOAD_TOO_LARGE', message: 'The file is too large.' },
      ]);
    case 'FST_INVALID_MULTIPART_CONTENT_TYPE':
      return body('UNSUPPORTED_MEDIA_TYPE', 'Send the file as multipart/form-data.');
    case 'FST_PARTS_LIMIT':
    case 'FST_FILES_LIMIT':
    case 'FST_FIELDS_LIMIT':
    case 'FST_PROTO_VIOLATION':
      return body('VALIDATION_FAILED', 'Send one file, its kind and the cooperative.', [
        { path: 'file', code: 'VALIDATION_FAILED', message: 'One file per import.' },
      ]);
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return body('UNSUPPORTED_MEDIA_TYPE', 'Send application/json.');
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return body('INVALID_JSON', 'The request body is empty or cut short.');
    default:
      if (error.statusCode === 400)
        return body('INVALID_JSON', 'The request body is not valid JSON.');
      return null;
  }
}

@Catch()
export class ErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger('HTTP');

  catch(error: unknown, host: ArgumentsHost): void {
    const result = toErrorBody(error);
    if (result.statusCode >= 500) {
      // Only the stack: messages from drivers can carry submitted values.
      this.logger.error(error instanceof Error ? (error.stack ?? error.name) : 'non-error thrown');
    }
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    const url = host.switchToHttp().getRequest<{ url?: string }>().url ?? '';
    if (url.startsWith('/api/v1/epcis')) {
      // EPCIS 2.0 REST answers errors as RFC 7807 problems; the usual fields stay beside.
      void reply
        .status(result.statusCode)
        .header('content-type', 'application/problem+json')
        .header('gs1-epcis-version', '2.0.0')
        .send({
          type: `https://huuco.vn/problems/${result.code}`,
          title: result.message,
          status: result.statusCode,
          detail: result.message,
          ...result,
        });
      return;
    }
    void reply.status(result.statusCode).header('content-type', 'application/json').send(result);
  }
}
