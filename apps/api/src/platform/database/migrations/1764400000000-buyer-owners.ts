import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Districts own their buyers: each buyer is registered by an admin unit, whose administrators
 * (and those of units its contracts reach) manage its accounts. Buyers registered before this
 * belong to the district of their first contract's cooperative, else to the topmost unit.
 * Failed logins are counted by the database, so parallel guesses cannot share one reading.
 */
export class BuyerOwners1764400000000 implements MigrationInterface {
  name = 'BuyerOwners1764400000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(
      'ALTER TABLE buyers ADD COLUMN registered_unit_id uuid REFERENCES admin_units(id)',
    );
    await db.query(`
      UPDATE buyers b SET registered_unit_id = coalesce(
        (SELECT coalesce(u.parent_id, u.id) FROM contracts c
           JOIN cooperatives co ON co.id = c.cooperative_id
           JOIN admin_units u ON u.id = co.commune_id
          WHERE c.buyer_id = b.id ORDER BY c.created_at LIMIT 1),
        (SELECT r.id FROM admin_units r WHERE r.parent_id IS NULL ORDER BY r.valid_from, r.id LIMIT 1))`);
    await db.query('CREATE INDEX ix_buyers_registered_unit ON buyers (registered_unit_id)');
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query('ALTER TABLE buyers DROP COLUMN registered_unit_id');
  }
}
