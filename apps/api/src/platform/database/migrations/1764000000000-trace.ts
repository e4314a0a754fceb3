import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The trace: seasons, products, harvests, lots made by transformations from harvests or lots,
 * the hash-chained event store, provenance documents served to the public, and QR scans.
 */
export class Trace1764000000000 implements MigrationInterface {
  name = 'Trace1764000000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE seasons (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        year integer NOT NULL,
        name varchar(20) NOT NULL,
        starts_on date NOT NULL,
        ends_on date NOT NULL,
        is_demo boolean NOT NULL DEFAULT false,
        CONSTRAINT uq_seasons_year_name UNIQUE (year, name),
        CONSTRAINT ck_seasons_name CHECK (name IN ('spring', 'summer_autumn', 'main', 'winter')),
        CONSTRAINT ck_seasons_dates CHECK (starts_on <= ends_on)
      )`);

    await db.query(`
      CREATE TABLE products (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        code varchar(40) NOT NULL,
        name_vi varchar(200) NOT NULL,
        name_en varchar(200) NOT NULL,
        category varchar(20) NOT NULL,
        gtin char(14),
        pack_size_kg numeric(10,3),
        is_demo boolean NOT NULL DEFAULT false,
        CONSTRAINT uq_products_code UNIQUE (code),
        CONSTRAINT uq_products_gtin UNIQUE (gtin),
        CONSTRAINT ck_products_gtin CHECK (gtin ~ '^[0-9]{14}$'),
        CONSTRAINT ck_products_pack CHECK (pack_size_kg > 0)
      )`);
    await db.query(`
      INSERT INTO products (code, name_vi, name_en, category) VALUES
        ('PADDY', 'Thóc', 'Paddy rice', 'paddy'),
        ('WHITE-RICE', 'Gạo trắng', 'White rice', 'white_rice'),
        ('BROWN-RICE', 'Gạo lứt', 'Brown rice', 'brown_rice'),
        ('BROKEN-RICE', 'Tấm', 'Broken rice', 'broken_rice'),
        ('BRAN', 'Cám', 'Rice bran', 'bran'),
        ('HUSK', 'Trấu', 'Rice husk', 'husk'),
        ('RAGWORM', 'Rươi', 'Ragworm (rươi)', 'ragworm'),
        ('FIDDLER-CRAB', 'Cáy', 'Fiddler crab (cáy)', 'fiddler_crab'),
        ('MUD-CRAB', 'Cua biển', 'Mud crab', 'mud_crab'),
        ('SHRIMP', 'Tôm', 'Shrimp', 'shrimp')`);

    await db.query(`
      CREATE TABLE harvests (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        plot_id uuid NOT NULL REFERENCES plots(id),
        cooperative_id uuid NOT NULL REFERENCES cooperatives(id),
        season_id uuid NOT NULL REFERENCES seasons(id),
        product_id uuid NOT NULL REFERENCES products(id),
        harvested_on date NOT NULL,
        lunar_date varchar(8),
        quantity_kg numeric(12,2) NOT NULL,
        remaining_kg numeric(12,2) NOT NULL,
        organic_status varchar(20) NOT NULL,
        organic_status_reason varchar(40) NOT NULL,
        yield_kg_per_ha numeric(12,1) NOT NULL,
        yield_check varchar(12) NOT NULL,
        override_reason text,
        recorded_by uuid REFERENCES users(id),
        recorded_by_username varchar(60) NOT NULL,
        is_demo boolean NOT NULL DEFAULT false,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT ck_harvests_quantity CHECK (quantity_kg > 0),
        CONSTRAINT ck_harvests_remaining CHECK (remaining_kg >= 0 AND remaining_kg <= quantity_kg),
        CONSTRAINT ck_harvests_yield_check CHECK (yield_check IN ('ok', 'flagged', 'overridden')),
        CONSTRAINT ck_harvests_override CHECK ((yield_check = 'overridden') = (override_reason IS NOT NULL))
      )`);
    await db.query('CREATE INDEX ix_harvests_plot ON harvests (plot_id, harvested_on)');
    await db.query(
      'CREATE INDEX ix_harvests_cooperative ON harvests (cooperative_id, harvested_on)',
    );
    await db.query('CREATE INDEX ix_harvests_season ON harvests (season_id)');

    await db.query(`
      CREATE TABLE transformations (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        process varchar(20) NOT NULL,
        occurred_on date NOT NULL,
        cooperative_id uuid NOT NULL REFERENCES cooperatives(id),
        note text,
        created_by_username varchar(60) NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT ck_transformations_process CHECK (process IN ('aggregation', 'drying', 'milling', 'packing'))
      )`);

    await db.query(`
      CREATE TABLE lots (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        code varchar(40) NOT NULL,
        product_id uuid NOT NULL REFERENCES products(id),
        cooperative_id uuid NOT NULL REFERENCES cooperatives(id),
        season_id uuid REFERENCES seasons(id),
        transformation_id uuid NOT NULL REFERENCES transformations(id),
        quantity_kg numeric(12,2) NOT NULL,
        remaining_kg numeric(12,2) NOT NULL,
        organic boolean NOT NULL,
        status varchar(10) NOT NULL DEFAULT 'open',
        recalled_at timestamptz,
        recall_reason text,
        recalled_because_of uuid REFERENCES lots(id),
        qr_url text NOT NULL,
        qr_svg text NOT NULL,
        qr_png bytea,
        is_demo boolean NOT NULL DEFAULT false,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT uq_lots_code UNIQUE (code),
        CONSTRAINT ck_lots_quantity CHECK (quantity_kg > 0),
        CONSTRAINT ck_lots_remaining CHECK (remaining_kg >= 0 AND remaining_kg <= quantity_kg),
        CONSTRAINT ck_lots_status CHECK (status IN ('open', 'sealed', 'shipped', 'recalled')),
        CONSTRAINT ck_lots_recall CHECK ((status = 'recalled') = (recalled_at IS NOT NULL))
      )`);
    await db.query('CREATE INDEX ix_lots_cooperative ON lots (cooperative_id, created_at)');
    await db.query('CREATE INDEX ix_lots_transformation ON lots (transformation_id)');

    await db.query(`
      CREATE TABLE transformation_inputs (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        transformation_id uuid NOT NULL REFERENCES transformations(id),
        harvest_id uuid REFERENCES harvests(id),
        lot_id uuid REFERENCES lots(id),
        quantity_kg numeric(12,2) NOT NULL,
        CONSTRAINT ck_transformation_inputs_source CHECK ((harvest_id IS NULL) <> (lot_id IS NULL)),
        CONSTRAINT ck_transformation_inputs_quantity CHECK (quantity_kg > 0)
      )`);
    await db.query(
      'CREATE INDEX ix_transformation_inputs_transformation ON transformation_inputs (transformation_id)',
    );
    await db.query(
      'CREATE INDEX ix_transformation_inputs_lot ON transformation_inputs (lot_id) WHERE lot_id IS NOT NULL',
    );
    await db.query(
      'CREATE INDEX ix_transformation_inputs_harvest ON transformation_inputs (harvest_id) WHERE harvest_id IS NOT NULL',
    );

    // Append-only, hash-chained. seq comes from the chain head, not a sequence: a gap is a deletion.
    await db.query(`
      CREATE TABLE events (
        seq bigint PRIMARY KEY,
        event_id varchar(100) NOT NULL,
        event_type varchar(30) NOT NULL,
        biz_step varchar(40) NOT NULL,
        event_time timestamptz NOT NULL,
        record_time timestamptz NOT NULL,
        lot_ids uuid[] NOT NULL,
        cooperative_id uuid,
        actor_username varchar(60) NOT NULL,
        why text,
        corrects_seq bigint REFERENCES events(seq),
        body jsonb NOT NULL,
        prev_hash char(64) NOT NULL,
        hash char(64) NOT NULL,
        CONSTRAINT uq_events_event_id UNIQUE (event_id),
        CONSTRAINT uq_events_hash UNIQUE (hash)
      )`);
    await db.query('CREATE INDEX ix_events_lot_ids ON events USING gin (lot_ids)');
    await db.query('CREATE INDEX ix_events_time ON events (event_time)');
    await db.query(`
      CREATE TABLE event_chain_head (
        id smallint PRIMARY KEY,
        last_seq bigint NOT NULL,
        last_hash char(64) NOT NULL,
        CONSTRAINT ck_event_chain_head_single CHECK (id = 1)
      )`);
    await db.query(`INSERT INTO event_chain_head VALUES (1, 0, repeat('0', 64))`);
    await db.query(`
      CREATE FUNCTION events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'events are append-only: add a correcting event instead';
      END $$`);
    await db.query(`
      CREATE TRIGGER tr_events_append_only BEFORE UPDATE OR DELETE ON events
        FOR EACH ROW EXECUTE FUNCTION events_append_only()`);

    // One indexed read per scan: the public page's content, kept current by the events.
    await db.query(`
      CREATE TABLE lot_provenance (
        lot_id uuid PRIMARY KEY REFERENCES lots(id),
        code varchar(40) NOT NULL,
        gtin char(14),
        document jsonb NOT NULL,
        scan_count integer NOT NULL DEFAULT 0,
        scan_warning boolean NOT NULL DEFAULT false,
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT uq_lot_provenance_code UNIQUE (code)
      )`);

    await db.query(`
      CREATE TABLE scans (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        lot_id uuid NOT NULL REFERENCES lots(id),
        at timestamptz NOT NULL,
        client varchar(10) NOT NULL,
        place_hash char(16) NOT NULL,
        genuine boolean NOT NULL
      )`);
    await db.query('CREATE INDEX ix_scans_lot_at ON scans (lot_id, at)');
  }

  async down(db: QueryRunner): Promise<void> {
    for (const table of [
      'scans',
      'lot_provenance',
      'event_chain_head',
      'events',
      'transformation_inputs',
      'lots',
      'transformations',
      'harvests',
      'products',
      'seasons',
    ]) {
      await db.query(`DROP TABLE ${table}`);
    }
    await db.query('DROP FUNCTION events_append_only()');
  }
}
