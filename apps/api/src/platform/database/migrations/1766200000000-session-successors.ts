import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The session a refresh token was spent for. A device whose renewal reached the server but whose
 * answer was lost (signal gone as it came) presents the spent token again; while the session it
 * was spent for has never been used, that is the same device asking again, not a copy, and it is
 * answered with a new pair instead of ending every session of the user.
 */
export class SessionSuccessors1766200000000 implements MigrationInterface {
  name = 'SessionSuccessors1766200000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(
      'ALTER TABLE refresh_tokens ADD COLUMN replaced_by uuid REFERENCES refresh_tokens(id)',
    );
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query('ALTER TABLE refresh_tokens DROP COLUMN replaced_by');
  }
}
