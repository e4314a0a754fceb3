import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A lot's public page kept rendered beside its document, in each language, written in the same
 * statement as the document: a scan of a lot no process holds reads ~6 KB ready to send instead
 * of the ~33 KB document it would parse and render. Pages stored before this migration have
 * none until their lot changes; they are rendered from the document meanwhile.
 */
export class StoredPages1766100000000 implements MigrationInterface {
  name = 'StoredPages1766100000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query('ALTER TABLE lot_provenance ADD COLUMN page_vi text, ADD COLUMN page_en text');
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query('ALTER TABLE lot_provenance DROP COLUMN page_vi, DROP COLUMN page_en');
  }
}
