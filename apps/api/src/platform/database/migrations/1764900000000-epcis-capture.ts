import type { MigrationInterface, QueryRunner } from 'typeorm';

/** EPCIS capture jobs (EPCIS 2.0 REST `/capture`): what each captured, or why it refused. */
export class EpcisCapture1764900000000 implements MigrationInterface {
  name = 'EpcisCapture1764900000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE epcis_capture_jobs (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        created_by uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        error_behaviour varchar(10) NOT NULL,
        success boolean NOT NULL,
        event_ids text[] NOT NULL,
        errors jsonb NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query('DROP TABLE epcis_capture_jobs');
  }
}
