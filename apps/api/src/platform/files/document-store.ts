import type { FastifyReply } from 'fastify';
import type { EntityManager } from 'typeorm';
import type { AttachedDocument } from './attached-document.js';

/** A stored document as it is sent back. */
export interface StoredDocument {
  filename: string;
  contentType: string;
  content: Buffer;
}

/**
 * One document per record (a signed contract, a certificate as issued), in its own table keyed
 * by the record's id: kept with its name, type, size, hash and who sent it; a new one replaces it.
 */
export function documentStore(
  table: 'contract_documents' | 'certification_documents',
  key: 'contract_id' | 'certification_id',
) {
  return {
    async keep(
      manager: EntityManager,
      id: string,
      d: AttachedDocument & { username: string },
    ): Promise<void> {
      await manager.query(
        `INSERT INTO ${table} (${key}, filename, content_type, size_bytes, sha256, content, uploaded_by_username)
         VALUES ($1, $2, $3, $4, $5, $6, $7)
         ON CONFLICT (${key}) DO UPDATE SET filename = EXCLUDED.filename, content_type = EXCLUDED.content_type,
           size_bytes = EXCLUDED.size_bytes, sha256 = EXCLUDED.sha256, content = EXCLUDED.content,
           uploaded_by_username = EXCLUDED.uploaded_by_username, uploaded_at = now()`,
        [id, d.filename, d.contentType, d.content.length, d.sha256, d.content, d.username],
      );
    },

    async read(manager: EntityManager, id: string): Promise<StoredDocument | null> {
      const [row] = await manager.query<
        { filename: string; content_type: string; content: Buffer }[]
      >(`SELECT filename, content_type, content FROM ${table} WHERE ${key} = $1`, [id]);
      return row
        ? {
            filename: row.filename,
            contentType: row.content_type,
            content: Buffer.from(row.content),
          }
        : null;
    },
  };
}

/** A stored document as the answer, its UTF-8 name in `content-disposition`. */
export function sendDocument(
  reply: FastifyReply,
  file: StoredDocument,
  disposition: 'inline' | 'attachment',
): FastifyReply {
  return reply
    .type(file.contentType)
    .header(
      'content-disposition',
      `${disposition}; filename*=UTF-8''${encodeURIComponent(file.filename)}`,
    )
    .send(file.content);
}
