import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The first answer to a write sent with an `Idempotency-Key`, kept with the write itself: a
 * device that lost the answer and sends again is given the same answer, and nothing is recorded
 * twice. A key belongs to the user who sent it; the request's hash tells a repeat from a reuse.
 */
export class IdempotentRequests1765800000000 implements MigrationInterface {
  name = 'IdempotentRequests1765800000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE idempotent_requests (
        user_id uuid NOT NULL REFERENCES users(id),
        key varchar(100) NOT NULL,
        route varchar(200) NOT NULL,
        request_sha256 char(64) NOT NULL,
        answer jsonb,
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (user_id, key)
      )`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query('DROP TABLE idempotent_requests');
  }
}
