import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Internal inspections (ICS, PGS) with their non-compliances, OCOP products, and targets. */
export class District1764200000000 implements MigrationInterface {
  name = 'District1764200000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE inspections (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        kind varchar(4) NOT NULL,
        cooperative_id uuid NOT NULL REFERENCES cooperatives(id),
        household_id uuid REFERENCES households(id),
        plot_id uuid REFERENCES plots(id),
        planned_on date NOT NULL,
        inspected_on date,
        inspector_username varchar(60) NOT NULL,
        findings text,
        is_demo boolean NOT NULL DEFAULT false,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT ck_inspections_kind CHECK (kind IN ('ICS', 'PGS')),
        CONSTRAINT ck_inspections_subject CHECK (household_id IS NOT NULL OR plot_id IS NOT NULL),
        CONSTRAINT ck_inspections_done CHECK ((inspected_on IS NULL) = (findings IS NULL))
      )`);
    await db.query(
      'CREATE INDEX ix_inspections_cooperative ON inspections (cooperative_id, inspected_on)',
    );
    await db.query('CREATE INDEX ix_inspections_household ON inspections (household_id)');

    await db.query(`
      CREATE TABLE non_compliances (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        inspection_id uuid NOT NULL REFERENCES inspections(id),
        plot_id uuid NOT NULL REFERENCES plots(id),
        severity varchar(5) NOT NULL,
        description text NOT NULL,
        sanction text,
        opened_on date NOT NULL,
        deadline date NOT NULL,
        closed_on date,
        closed_reason text,
        closed_by_username varchar(60),
        CONSTRAINT ck_non_compliances_severity CHECK (severity IN ('minor', 'major')),
        CONSTRAINT ck_non_compliances_deadline CHECK (deadline >= opened_on),
        CONSTRAINT ck_non_compliances_closed CHECK ((closed_on IS NULL) = (closed_reason IS NULL)),
        CONSTRAINT ck_non_compliances_close_date CHECK (closed_on >= opened_on)
      )`);
    await db.query('CREATE INDEX ix_non_compliances_plot ON non_compliances (plot_id, opened_on)');

    await db.query(`
      CREATE TABLE ocop_products (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name varchar(200) NOT NULL,
        cooperative_id uuid NOT NULL REFERENCES cooperatives(id),
        product_id uuid REFERENCES products(id),
        score integer NOT NULL,
        level varchar(10) NOT NULL,
        certificate_number varchar(80) NOT NULL,
        certified_on date NOT NULL,
        is_demo boolean NOT NULL DEFAULT false,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT ck_ocop_products_score CHECK (score BETWEEN 0 AND 100),
        CONSTRAINT ck_ocop_products_level CHECK (level IN ('district', 'province', 'national')),
        CONSTRAINT uq_ocop_products_certificate UNIQUE (certificate_number)
      )`);

    await db.query(`
      CREATE TABLE targets (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        admin_unit_id uuid NOT NULL REFERENCES admin_units(id),
        year integer NOT NULL,
        indicator varchar(20) NOT NULL,
        target_value numeric(14,2) NOT NULL,
        note text,
        is_demo boolean NOT NULL DEFAULT false,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT uq_targets_unit_year_indicator UNIQUE (admin_unit_id, year, indicator),
        CONSTRAINT ck_targets_indicator CHECK (indicator IN
          ('organic_ha', 'households', 'ocop_3_stars', 'tonnes_harvested', 'contract_share')),
        CONSTRAINT ck_targets_value CHECK (target_value > 0),
        CONSTRAINT ck_targets_year CHECK (year BETWEEN 2000 AND 2100)
      )`);
  }

  async down(db: QueryRunner): Promise<void> {
    for (const table of ['targets', 'ocop_products', 'non_compliances', 'inspections'])
      await db.query(`DROP TABLE ${table}`);
  }
}
