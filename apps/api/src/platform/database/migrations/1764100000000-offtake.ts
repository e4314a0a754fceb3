import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Buyers' contacts, offtake contracts with their plots and signed document, and deliveries. */
export class Offtake1764100000000 implements MigrationInterface {
  name = 'Offtake1764100000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(
      `ALTER TABLE buyers ADD COLUMN address varchar(300), ADD COLUMN contacts jsonb NOT NULL DEFAULT '[]'`,
    );

    await db.query(`
      CREATE TABLE contracts (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        number varchar(60) NOT NULL,
        buyer_id uuid NOT NULL REFERENCES buyers(id),
        cooperative_id uuid NOT NULL REFERENCES cooperatives(id),
        season_id uuid NOT NULL REFERENCES seasons(id),
        product_category varchar(20) NOT NULL,
        basis varchar(12) NOT NULL,
        contracted_kg numeric(14,2),
        zone_id uuid REFERENCES zones(id),
        price_vnd_per_kg bigint NOT NULL,
        quality_terms text,
        status varchar(10) NOT NULL DEFAULT 'draft',
        signed_on date,
        is_demo boolean NOT NULL DEFAULT false,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT uq_contracts_buyer_number UNIQUE (buyer_id, number),
        CONSTRAINT ck_contracts_basis CHECK (basis IN ('quantity', 'whole_area')),
        CONSTRAINT ck_contracts_quantity CHECK ((basis = 'quantity') = (contracted_kg IS NOT NULL)),
        CONSTRAINT ck_contracts_contracted CHECK (contracted_kg > 0),
        CONSTRAINT ck_contracts_price CHECK (price_vnd_per_kg > 0),
        CONSTRAINT ck_contracts_status CHECK (status IN ('draft', 'signed', 'active', 'fulfilled', 'cancelled')),
        CONSTRAINT ck_contracts_signed CHECK (status IN ('draft', 'cancelled') OR signed_on IS NOT NULL)
      )`);
    await db.query('CREATE INDEX ix_contracts_buyer ON contracts (buyer_id)');
    await db.query(
      'CREATE INDEX ix_contracts_cooperative ON contracts (cooperative_id, season_id)',
    );

    await db.query(`
      CREATE TABLE contract_plots (
        contract_id uuid NOT NULL REFERENCES contracts(id) ON DELETE CASCADE,
        plot_id uuid NOT NULL REFERENCES plots(id),
        PRIMARY KEY (contract_id, plot_id)
      )`);

    await db.query(`
      CREATE TABLE contract_documents (
        contract_id uuid PRIMARY KEY REFERENCES contracts(id) ON DELETE CASCADE,
        filename varchar(200) NOT NULL,
        content_type varchar(40) NOT NULL,
        size_bytes integer NOT NULL,
        sha256 char(64) NOT NULL,
        content bytea NOT NULL,
        uploaded_by_username varchar(60) NOT NULL,
        uploaded_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT ck_contract_documents_type CHECK (content_type IN ('application/pdf', 'image/jpeg', 'image/png'))
      )`);

    await db.query(`
      CREATE TABLE deliveries (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        contract_id uuid NOT NULL REFERENCES contracts(id),
        delivered_on date NOT NULL,
        destination varchar(300) NOT NULL,
        status varchar(10) NOT NULL DEFAULT 'shipped',
        received_on date,
        received_by_username varchar(60),
        over_contract boolean NOT NULL DEFAULT false,
        created_by_username varchar(60) NOT NULL,
        is_demo boolean NOT NULL DEFAULT false,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT ck_deliveries_status CHECK (status IN ('shipped', 'received')),
        CONSTRAINT ck_deliveries_received CHECK ((status = 'received') = (received_on IS NOT NULL))
      )`);
    await db.query('CREATE INDEX ix_deliveries_contract ON deliveries (contract_id)');

    await db.query(`
      CREATE TABLE delivery_lots (
        delivery_id uuid NOT NULL REFERENCES deliveries(id),
        lot_id uuid NOT NULL REFERENCES lots(id),
        quantity_kg numeric(12,2) NOT NULL,
        PRIMARY KEY (delivery_id, lot_id),
        CONSTRAINT ck_delivery_lots_quantity CHECK (quantity_kg > 0)
      )`);
    await db.query('CREATE INDEX ix_delivery_lots_lot ON delivery_lots (lot_id)');
  }

  async down(db: QueryRunner): Promise<void> {
    for (const table of [
      'delivery_lots',
      'deliveries',
      'contract_documents',
      'contract_plots',
      'contracts',
    ]) {
      await db.query(`DROP TABLE ${table}`);
    }
    await db.query('ALTER TABLE buyers DROP COLUMN address, DROP COLUMN contacts');
  }
}
