import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Every version of a household's name, contacts and membership, never overwritten: an edit or
 * a departure adds a revision, as a plot's do. Households registered before start at revision 1.
 */
export class HouseholdRevisions1764700000000 implements MigrationInterface {
  name = 'HouseholdRevisions1764700000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE household_revisions (
        household_id uuid NOT NULL REFERENCES households(id),
        revision integer NOT NULL,
        head_name varchar(120) NOT NULL,
        phone varchar(10),
        village varchar(120),
        left_on date,
        left_reason varchar(500),
        recorded_by_username varchar(60),
        recorded_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (household_id, revision)
      )`);
    await db.query(`
      INSERT INTO household_revisions (household_id, revision, head_name, phone, village, left_on, left_reason, recorded_at)
      SELECT id, 1, head_name, phone, village, left_on, left_reason, created_at FROM households`);
    await db.query(`
      CREATE TRIGGER tr_household_revisions_append_only BEFORE UPDATE OR DELETE ON household_revisions
        FOR EACH ROW EXECUTE FUNCTION history_append_only()`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query('DROP TABLE household_revisions');
  }
}
