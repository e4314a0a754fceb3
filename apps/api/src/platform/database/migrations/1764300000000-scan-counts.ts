import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Scan counts are read from the scans themselves; the copy kept per lot cost a write per scan. */
export class ScanCounts1764300000000 implements MigrationInterface {
  name = 'ScanCounts1764300000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query('ALTER TABLE lot_provenance DROP COLUMN scan_count');
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query('ALTER TABLE lot_provenance ADD COLUMN scan_count integer NOT NULL DEFAULT 0');
    await db.query(
      'UPDATE lot_provenance lp SET scan_count = (SELECT count(*) FROM scans s WHERE s.lot_id = lp.lot_id)',
    );
  }
}
