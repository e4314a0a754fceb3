import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * What the copied-label check reads, kept as scans are logged instead of counted from every
 * scan each time: a lot's genuine scans, and when each network last scanned it genuinely. A
 * campaign's busiest lots had their whole scan history counted several times a second.
 */
export class ScanStats1766000000000 implements MigrationInterface {
  name = 'ScanStats1766000000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE lot_scan_counts (
        lot_id uuid PRIMARY KEY REFERENCES lots(id),
        genuine_scans bigint NOT NULL
      )`);
    await db.query(`
      CREATE TABLE lot_scan_places (
        lot_id uuid NOT NULL REFERENCES lots(id),
        place_hash char(16) NOT NULL,
        last_at timestamptz NOT NULL,
        PRIMARY KEY (lot_id, place_hash)
      )`);
    await db.query(`
      INSERT INTO lot_scan_counts (lot_id, genuine_scans)
      SELECT lot_id, count(*) FROM scans WHERE genuine GROUP BY lot_id`);
    await db.query(`
      INSERT INTO lot_scan_places (lot_id, place_hash, last_at)
      SELECT lot_id, place_hash, max(at) FROM scans WHERE genuine GROUP BY lot_id, place_hash`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query('DROP TABLE lot_scan_places');
    await db.query('DROP TABLE lot_scan_counts');
  }
}
