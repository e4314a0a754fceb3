import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Writers no longer queue on one chain head: an event takes its number from a sequence and
 * joins the transparency log in the next batch, which now holds what the chain held (an edited
 * or deleted event is caught against its leaf). Events recorded before keep their chain links.
 */
export class EventsWithoutHead1765100000000 implements MigrationInterface {
  name = 'EventsWithoutHead1765100000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query('CREATE SEQUENCE events_seq AS bigint');
    await db.query(
      `SELECT setval('events_seq', coalesce((SELECT max(seq) FROM events), 0) + 1, false)`,
    );
    await db.query(`ALTER TABLE events ALTER COLUMN seq SET DEFAULT nextval('events_seq')`);
    await db.query('ALTER TABLE events ALTER COLUMN prev_hash DROP NOT NULL');
    await db.query('ALTER TABLE events ALTER COLUMN hash DROP NOT NULL');
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query('ALTER TABLE events ALTER COLUMN seq DROP DEFAULT');
    await db.query('DROP SEQUENCE events_seq');
  }
}
