import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Which events came in through EPCIS capture, in which job, from which organisation. Pages list
 * partners' events from here and nowhere else: text a cooperative types (a lot's note, a recall
 * reason) can never pass for a partner's record.
 */
export class CapturedEvents1765400000000 implements MigrationInterface {
  name = 'CapturedEvents1765400000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE captured_events (
        event_seq bigint PRIMARY KEY REFERENCES events(seq),
        job_id uuid NOT NULL REFERENCES epcis_capture_jobs(id),
        organisation varchar(300) NOT NULL
      )`);
    await db.query(`
      CREATE TRIGGER tr_captured_events_append_only BEFORE UPDATE OR DELETE ON captured_events
        FOR EACH ROW EXECUTE FUNCTION history_append_only()`);
    // Events captured before this table: the jobs name them, their reason names the sender.
    await db.query(`
      INSERT INTO captured_events (event_seq, job_id, organisation)
      SELECT DISTINCT ON (e.seq) e.seq, j.id, substr(e.why, length('EPCIS capture by ') + 1)
        FROM epcis_capture_jobs j
        JOIN events e ON e.event_id = ANY (j.event_ids)
       WHERE starts_with(e.why, 'EPCIS capture by ')
       ORDER BY e.seq, j.created_at`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query('DROP TABLE captured_events');
  }
}
