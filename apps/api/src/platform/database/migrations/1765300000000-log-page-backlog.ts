import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Lot pages waiting to be rebuilt with the proofs of a batch just logged. A batch only notes
 * them; the appender then rebuilds them a few at a time, so a long first backfill never holds
 * the database in one transaction, and a crash in between leaves the work noted.
 */
export class LogPageBacklog1765300000000 implements MigrationInterface {
  name = 'LogPageBacklog1765300000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE log_page_backlog (
        lot_id uuid PRIMARY KEY REFERENCES lots(id) ON DELETE CASCADE,
        noted_at timestamptz NOT NULL DEFAULT now()
      )`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query('DROP TABLE log_page_backlog');
  }
}
