import type { MigrationInterface, QueryRunner } from 'typeorm';

const HISTORIES = ['zone_status_changes', 'certificate_decisions', 'cooperative_status_changes'];

/**
 * Facts that feed organic status and the public pages are dated, never overwritten: a zone's
 * and a cooperative's status changes and a certification body's decisions each hold from their
 * effective date. Each record keeps the status it began with (existing rows: the one they have
 * now, as the history starts here). The histories refuse UPDATE and DELETE.
 */
export class DatedRegistry1764500000000 implements MigrationInterface {
  name = 'DatedRegistry1764500000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE zones ADD COLUMN initial_status varchar(15)`);
    await db.query(`UPDATE zones SET initial_status = status`);
    await db.query(
      `ALTER TABLE zones ALTER COLUMN initial_status SET NOT NULL, ALTER COLUMN initial_status SET DEFAULT 'planned'`,
    );
    await db.query(`ALTER TABLE cooperatives ADD COLUMN initial_status varchar(10)`);
    await db.query(`UPDATE cooperatives SET initial_status = status`);
    await db.query(
      `ALTER TABLE cooperatives ALTER COLUMN initial_status SET NOT NULL, ALTER COLUMN initial_status SET DEFAULT 'active'`,
    );

    await db.query(`
      CREATE TABLE zone_status_changes (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        zone_id uuid NOT NULL REFERENCES zones(id),
        status varchar(15) NOT NULL,
        effective_on date NOT NULL,
        reason varchar(500) NOT NULL,
        recorded_by_username varchar(60) NOT NULL,
        recorded_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT uq_zone_status_changes_day UNIQUE (zone_id, effective_on),
        CONSTRAINT ck_zone_status_changes_status CHECK (status IN ('planned', 'in_conversion', 'certified', 'suspended'))
      )`);
    await db.query(`
      CREATE TABLE certificate_decisions (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        certification_id uuid NOT NULL REFERENCES certifications(id),
        status varchar(12) NOT NULL,
        effective_on date NOT NULL,
        reason varchar(500) NOT NULL,
        document_ref varchar(200) NOT NULL,
        recorded_by_username varchar(60) NOT NULL,
        recorded_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT uq_certificate_decisions_day UNIQUE (certification_id, effective_on),
        CONSTRAINT ck_certificate_decisions_status CHECK (status IN ('suspended', 'withdrawn', 'reinstated'))
      )`);
    await db.query(`
      CREATE TABLE cooperative_status_changes (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        cooperative_id uuid NOT NULL REFERENCES cooperatives(id),
        status varchar(10) NOT NULL,
        effective_on date NOT NULL,
        reason varchar(500) NOT NULL,
        recorded_by_username varchar(60) NOT NULL,
        recorded_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT uq_cooperative_status_changes_day UNIQUE (cooperative_id, effective_on),
        CONSTRAINT ck_cooperative_status_changes_status CHECK (status IN ('active', 'inactive'))
      )`);
    await db.query(`
      CREATE FUNCTION history_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'histories are append-only: record a later change instead';
      END $$`);
    for (const table of HISTORIES) {
      await db.query(`
        CREATE TRIGGER tr_${table}_append_only BEFORE UPDATE OR DELETE ON ${table}
          FOR EACH ROW EXECUTE FUNCTION history_append_only()`);
    }

    await db.query(
      `ALTER TABLE households ADD COLUMN left_on date, ADD COLUMN left_reason varchar(500)`,
    );
    await db.query(
      `ALTER TABLE households ADD CONSTRAINT ck_households_left CHECK ((left_on IS NULL) = (left_reason IS NULL) AND (left_on IS NULL OR left_on >= joined_on))`,
    );
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query('ALTER TABLE households DROP CONSTRAINT ck_households_left');
    await db.query('ALTER TABLE households DROP COLUMN left_on, DROP COLUMN left_reason');
    for (const table of HISTORIES) await db.query(`DROP TABLE ${table}`);
    await db.query('DROP FUNCTION history_append_only()');
    await db.query('ALTER TABLE cooperatives DROP COLUMN initial_status');
    await db.query('ALTER TABLE zones DROP COLUMN initial_status');
  }
}
