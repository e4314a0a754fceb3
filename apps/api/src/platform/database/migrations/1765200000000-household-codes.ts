import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Every household has a code (mã hộ) unique within its cooperative: the name its cooperative's
 * files give it. Households registered before get H0001, H0002, … in the order they joined.
 */
export class HouseholdCodes1765200000000 implements MigrationInterface {
  name = 'HouseholdCodes1765200000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query('ALTER TABLE households ADD COLUMN code varchar(20)');
    await db.query(`
      UPDATE households h SET code = numbered.code
        FROM (SELECT id, 'H' || lpad(row_number() OVER (PARTITION BY cooperative_id ORDER BY joined_on, created_at, id)::text, 4, '0') AS code
                FROM households) numbered
       WHERE numbered.id = h.id`);
    await db.query('ALTER TABLE households ALTER COLUMN code SET NOT NULL');
    await db.query(
      'ALTER TABLE households ADD CONSTRAINT uq_households_cooperative_code UNIQUE (cooperative_id, code)',
    );
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query('ALTER TABLE households DROP COLUMN code');
  }
}
