import { createHash } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { fieldError } from '../http/domain-error.js';

/** What a signed or issued paper may be sent as, told by its first bytes, not its name. */
const DOCUMENT_SIGNATURES: Record<string, (b: Buffer) => boolean> = {
  'application/pdf': (b) => b.subarray(0, 5).toString('latin1') === '%PDF-',
  'image/jpeg': (b) => b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff,
  'image/png': (b) =>
    b.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])),
};
export const DOCUMENT_TYPES = Object.keys(DOCUMENT_SIGNATURES);

/** A document as the registry keeps it: named, typed, hashed. */
export interface AttachedDocument {
  filename: string;
  contentType: string;
  sha256: string;
  content: Buffer;
}

/**
 * The file sent as the request's body (`PUT …/document`), its name in the percent-encoded
 * `x-filename` header; refused with the field at fault unless it is the PDF, JPEG or PNG it says.
 */
export function documentFrom(
  request: FastifyRequest,
  headers: { contentType: string | undefined; filename: string | undefined },
  what: { fallbackName: string; description: string },
): AttachedDocument {
  const content = request.body;
  if (!Buffer.isBuffer(content))
    throw fieldError(
      'DOCUMENT_TYPE_INVALID',
      'document',
      'Send the file itself as a PDF, JPEG or PNG body.',
    );
  return checkedDocument(
    headers.contentType ?? '',
    decodeFilename(headers.filename, what.fallbackName),
    content,
    what.description,
  );
}

/** A file checked to be the PDF, JPEG or PNG its type says, named and hashed. */
export function checkedDocument(
  contentTypeHeader: string,
  filename: string,
  content: Buffer,
  description = 'The document',
): AttachedDocument {
  const contentType = contentTypeHeader.split(';')[0]!.trim().toLowerCase();
  const matches = DOCUMENT_SIGNATURES[contentType];
  if (!matches || !matches(content))
    throw fieldError(
      'DOCUMENT_TYPE_INVALID',
      'document',
      `${description} is a PDF, JPEG or PNG file.`,
      {
        accepted: DOCUMENT_TYPES,
      },
    );
  return {
    filename: filename.slice(0, 200),
    contentType,
    sha256: createHash('sha256').update(content).digest('hex'),
    content,
  };
}

/** The `x-filename` header is percent-encoded UTF-8; a malformed one is named, not a 500. */
function decodeFilename(header: string | undefined, fallback: string): string {
  if (header === undefined) return fallback;
  let name: string;
  try {
    name = decodeURIComponent(header);
  } catch {
    throw fieldError('VALIDATION_FAILED', 'x-filename', 'Not valid percent-encoded UTF-8.');
  }
  if (name.includes('\u0000') || name.trim() === '')
    throw fieldError('VALIDATION_FAILED', 'x-filename', 'Give the file a name.');
  return name;
}
