import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A plot is retired from a date (merged, built on, no longer farmed) and kept: its revisions
 * say when and why, harvests before the date stay, none is recorded on or after it.
 */
export class PlotRetirement1764600000000 implements MigrationInterface {
  name = 'PlotRetirement1764600000000';

  async up(db: QueryRunner): Promise<void> {
    for (const table of ['plots', 'plot_revisions']) {
      await db.query(
        `ALTER TABLE ${table} ADD COLUMN retired_on date, ADD COLUMN retired_reason text,
           ADD CONSTRAINT ck_${table}_retirement CHECK ((retired_on IS NULL) = (retired_reason IS NULL))`,
      );
    }
  }

  async down(db: QueryRunner): Promise<void> {
    for (const table of ['plots', 'plot_revisions']) {
      await db.query(`ALTER TABLE ${table} DROP COLUMN retired_on, DROP COLUMN retired_reason`);
    }
  }
}
