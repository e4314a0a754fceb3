import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Household revisions keep the household's code (mã hộ) too, so a change of code is part of
 * its history. Revisions recorded before this carry the code the household had when this ran:
 * codes were given at registration and none had been changed through the API yet.
 */
export class HouseholdRevisionCodes1765600000000 implements MigrationInterface {
  name = 'HouseholdRevisionCodes1765600000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query('ALTER TABLE household_revisions ADD COLUMN code varchar(20)');
    await db.query(
      'ALTER TABLE household_revisions DISABLE TRIGGER tr_household_revisions_append_only',
    );
    await db.query(
      'UPDATE household_revisions r SET code = h.code FROM households h WHERE h.id = r.household_id',
    );
    await db.query(
      'ALTER TABLE household_revisions ENABLE TRIGGER tr_household_revisions_append_only',
    );
    await db.query('ALTER TABLE household_revisions ALTER COLUMN code SET NOT NULL');
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query('ALTER TABLE household_revisions DROP COLUMN code');
  }
}
