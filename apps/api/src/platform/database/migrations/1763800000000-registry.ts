import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The registry: admin units and their successions, zones, certifications, cooperatives, households, plots. */
export class Registry1763800000000 implements MigrationInterface {
  name = 'Registry1763800000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE admin_units (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        code varchar(10) NOT NULL,
        name varchar(120) NOT NULL,
        level varchar(10) NOT NULL,
        parent_id uuid REFERENCES admin_units(id),
        valid_from date NOT NULL,
        valid_to date,
        legal_basis text,
        is_demo boolean NOT NULL DEFAULT false,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT ck_admin_units_level CHECK (level IN ('province', 'district', 'commune')),
        CONSTRAINT ck_admin_units_validity CHECK (valid_to IS NULL OR valid_to > valid_from),
        CONSTRAINT uq_admin_units_level_code_valid_from UNIQUE (level, code, valid_from)
      )`);
    await db.query(`CREATE INDEX ix_admin_units_parent ON admin_units (parent_id)`);

    await db.query(`
      CREATE TABLE admin_unit_successions (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        kind varchar(10) NOT NULL,
        predecessor_id uuid NOT NULL REFERENCES admin_units(id),
        successor_id uuid REFERENCES admin_units(id),
        effective_on date NOT NULL,
        legal_basis text NOT NULL,
        is_demo boolean NOT NULL DEFAULT false,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT ck_admin_unit_successions_kind CHECK (kind IN ('merge', 'split', 'rename', 'abolish')),
        CONSTRAINT ck_admin_unit_successions_successor CHECK ((kind = 'abolish') = (successor_id IS NULL)),
        CONSTRAINT uq_admin_unit_successions_link UNIQUE (predecessor_id, successor_id)
      )`);
    await db.query(
      `CREATE INDEX ix_admin_unit_successions_successor ON admin_unit_successions (successor_id)`,
    );

    await db.query(`
      CREATE TABLE zones (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        code varchar(40) NOT NULL,
        name varchar(200) NOT NULL,
        kind varchar(12) NOT NULL,
        status varchar(15) NOT NULL DEFAULT 'planned',
        geometry jsonb NOT NULL,
        bbox box NOT NULL,
        area_m2 numeric(14, 2) NOT NULL,
        target_area_m2 numeric(14, 2),
        products text[] NOT NULL DEFAULT '{}',
        is_demo boolean NOT NULL DEFAULT false,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT uq_zones_code UNIQUE (code),
        CONSTRAINT ck_zones_kind CHECK (kind IN ('organic', 'high_tech', 'vietgap')),
        CONSTRAINT ck_zones_status CHECK (status IN ('planned', 'in_conversion', 'certified', 'suspended')),
        CONSTRAINT ck_zones_area CHECK (area_m2 BETWEEN 10000 AND 500000000),
        CONSTRAINT ck_zones_target_area CHECK (target_area_m2 IS NULL OR target_area_m2 > 0)
      )`);
    await db.query(`CREATE INDEX ix_zones_bbox ON zones USING gist (bbox)`);

    await db.query(`
      CREATE TABLE zone_communes (
        zone_id uuid NOT NULL REFERENCES zones(id) ON DELETE CASCADE,
        commune_id uuid NOT NULL REFERENCES admin_units(id),
        PRIMARY KEY (zone_id, commune_id)
      )`);
    await db.query(`CREATE INDEX ix_zone_communes_commune ON zone_communes (commune_id)`);

    await db.query(`
      CREATE TABLE cooperatives (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name varchar(200) NOT NULL,
        registration_number varchar(30) NOT NULL,
        commune_id uuid NOT NULL REFERENCES admin_units(id),
        status varchar(10) NOT NULL DEFAULT 'active',
        founded_on date,
        address text,
        is_demo boolean NOT NULL DEFAULT false,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT uq_cooperatives_registration_number UNIQUE (registration_number),
        CONSTRAINT ck_cooperatives_status CHECK (status IN ('active', 'inactive'))
      )`);
    await db.query(`CREATE INDEX ix_cooperatives_commune ON cooperatives (commune_id)`);

    await db.query(`
      CREATE TABLE households (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        head_name varchar(120) NOT NULL,
        id_number_ciphertext text NOT NULL,
        id_number_key_id varchar(20) NOT NULL,
        id_number_hash char(64) NOT NULL,
        id_number_masked varchar(12) NOT NULL,
        phone varchar(10),
        village varchar(120),
        commune_id uuid NOT NULL REFERENCES admin_units(id),
        cooperative_id uuid NOT NULL REFERENCES cooperatives(id),
        joined_on date NOT NULL,
        consent_public_display boolean NOT NULL DEFAULT false,
        consent_recorded_at timestamptz,
        is_demo boolean NOT NULL DEFAULT false,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT uq_households_id_number_hash UNIQUE (id_number_hash)
      )`);
    await db.query(`CREATE INDEX ix_households_cooperative ON households (cooperative_id)`);
    await db.query(`CREATE INDEX ix_households_commune ON households (commune_id)`);

    await db.query(`
      CREATE TABLE plots (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        code varchar(40) NOT NULL,
        household_id uuid NOT NULL REFERENCES households(id),
        cooperative_id uuid NOT NULL REFERENCES cooperatives(id),
        zone_id uuid REFERENCES zones(id),
        -- json, not jsonb: kept as sent (compact), so the map serves it without re-rendering.
        geometry json NOT NULL,
        bbox box NOT NULL,
        area_m2 numeric(12, 2) NOT NULL,
        declared_area_m2 numeric(12, 2),
        flags text[] NOT NULL DEFAULT '{}',
        farming_system varchar(20) NOT NULL,
        conversion_started_on date,
        revision integer NOT NULL DEFAULT 1,
        is_demo boolean NOT NULL DEFAULT false,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT uq_plots_code UNIQUE (code),
        CONSTRAINT ck_plots_area CHECK (area_m2 BETWEEN 30 AND 200000),
        CONSTRAINT ck_plots_declared_area CHECK (declared_area_m2 IS NULL OR declared_area_m2 > 0),
        CONSTRAINT ck_plots_farming_system CHECK (farming_system IN
          ('organic_rice', 'rice_ruoi_cay', 'crab_pond', 'shrimp_pond', 'seafood', 'vegetables', 'other'))
      )`);
    await db.query(`CREATE INDEX ix_plots_bbox ON plots USING gist (bbox)`);
    await db.query(`CREATE INDEX ix_plots_zone ON plots (zone_id)`);
    await db.query(`CREATE INDEX ix_plots_household ON plots (household_id)`);
    await db.query(`CREATE INDEX ix_plots_cooperative ON plots (cooperative_id)`);

    await db.query(`
      CREATE TABLE plot_revisions (
        plot_id uuid NOT NULL REFERENCES plots(id),
        revision integer NOT NULL,
        geometry jsonb NOT NULL,
        area_m2 numeric(12, 2) NOT NULL,
        zone_id uuid REFERENCES zones(id),
        farming_system varchar(20) NOT NULL,
        conversion_started_on date,
        declared_area_m2 numeric(12, 2),
        recorded_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (plot_id, revision)
      )`);

    await db.query(`
      CREATE TABLE certifications (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        zone_id uuid NOT NULL REFERENCES zones(id),
        guarantee_type varchar(20) NOT NULL,
        standard varchar(40) NOT NULL,
        body varchar(200) NOT NULL,
        certificate_number varchar(80) NOT NULL,
        valid_from date NOT NULL,
        valid_to date NOT NULL,
        scope varchar(5) NOT NULL,
        document_url text,
        is_demo boolean NOT NULL DEFAULT false,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT uq_certifications_body_number UNIQUE (body, certificate_number),
        CONSTRAINT ck_certifications_validity CHECK (valid_to >= valid_from),
        CONSTRAINT ck_certifications_guarantee_type CHECK (guarantee_type IN
          ('TCVN_THIRD_PARTY', 'FOREIGN_THIRD_PARTY', 'PGS', 'NONE')),
        CONSTRAINT ck_certifications_scope CHECK (scope IN ('zone', 'plots'))
      )`);
    await db.query(`CREATE INDEX ix_certifications_zone ON certifications (zone_id)`);

    await db.query(`
      CREATE TABLE certification_plots (
        certification_id uuid NOT NULL REFERENCES certifications(id) ON DELETE CASCADE,
        plot_id uuid NOT NULL REFERENCES plots(id),
        PRIMARY KEY (certification_id, plot_id)
      )`);
    await db.query(`CREATE INDEX ix_certification_plots_plot ON certification_plots (plot_id)`);
  }

  async down(db: QueryRunner): Promise<void> {
    for (const table of [
      'certification_plots',
      'certifications',
      'plot_revisions',
      'plots',
      'households',
      'cooperatives',
      'zone_communes',
      'zones',
      'admin_unit_successions',
      'admin_units',
    ]) {
      await db.query(`DROP TABLE ${table}`);
    }
  }
}
