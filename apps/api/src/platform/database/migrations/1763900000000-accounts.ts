import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Accounts, roles and their scopes, sessions, the audit trail, and consents to public display. */
export class Accounts1763900000000 implements MigrationInterface {
  name = 'Accounts1763900000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE buyers (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name varchar(200) NOT NULL,
        tax_code varchar(14) NOT NULL,
        province varchar(120) NOT NULL,
        is_demo boolean NOT NULL DEFAULT false,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT uq_buyers_tax_code UNIQUE (tax_code),
        CONSTRAINT ck_buyers_tax_code CHECK (tax_code ~ '^[0-9]{10}(-[0-9]{3})?$')
      )`);

    await db.query(`
      CREATE TABLE users (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        username varchar(60) NOT NULL,
        display_name varchar(120) NOT NULL,
        password_hash text NOT NULL,
        role varchar(20) NOT NULL,
        cooperative_id uuid REFERENCES cooperatives(id),
        buyer_id uuid REFERENCES buyers(id),
        token_version integer NOT NULL DEFAULT 0,
        failed_logins integer NOT NULL DEFAULT 0,
        locked_until timestamptz,
        disabled_at timestamptz,
        is_demo boolean NOT NULL DEFAULT false,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT uq_users_username UNIQUE (username),
        CONSTRAINT ck_users_role CHECK (role IN
          ('district_admin', 'district_staff', 'coop_manager', 'coop_member', 'inspector', 'buyer')),
        CONSTRAINT ck_users_cooperative CHECK
          ((role IN ('coop_manager', 'coop_member')) = (cooperative_id IS NOT NULL)),
        CONSTRAINT ck_users_buyer CHECK ((role = 'buyer') = (buyer_id IS NOT NULL))
      )`);

    await db.query(`
      CREATE TABLE user_admin_units (
        user_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        admin_unit_id uuid NOT NULL REFERENCES admin_units(id),
        PRIMARY KEY (user_id, admin_unit_id)
      )`);

    await db.query(`
      CREATE TABLE refresh_tokens (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        user_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        token_hash char(64) NOT NULL,
        expires_at timestamptz NOT NULL,
        revoked_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT uq_refresh_tokens_hash UNIQUE (token_hash)
      )`);
    await db.query(`CREATE INDEX ix_refresh_tokens_user ON refresh_tokens (user_id)`);

    await db.query(`
      CREATE TABLE audit_log (
        id bigserial PRIMARY KEY,
        at timestamptz NOT NULL DEFAULT now(),
        actor_id uuid,
        actor_username varchar(60),
        action varchar(60) NOT NULL,
        entity varchar(40) NOT NULL,
        entity_id uuid,
        before_digest char(64),
        after_digest char(64),
        details jsonb NOT NULL DEFAULT '{}'
      )`);
    await db.query(`CREATE INDEX ix_audit_log_entity ON audit_log (entity, entity_id)`);
    await db.query(`CREATE INDEX ix_audit_log_actor ON audit_log (actor_id)`);

    await db.query(`
      CREATE TABLE household_consents (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        household_id uuid NOT NULL REFERENCES households(id),
        scope varchar(40) NOT NULL,
        evidence text NOT NULL,
        recorded_by uuid REFERENCES users(id) ON DELETE SET NULL,
        recorded_by_username varchar(60),
        recorded_at timestamptz NOT NULL DEFAULT now(),
        revoked_by uuid REFERENCES users(id) ON DELETE SET NULL,
        revoked_by_username varchar(60),
        revoked_at timestamptz,
        CONSTRAINT ck_household_consents_scope CHECK (scope IN ('name_on_provenance_page'))
      )`);
    await db.query(
      `CREATE INDEX ix_household_consents_household ON household_consents (household_id)`,
    );
    // Consents given before accounts existed keep their record, by nobody in particular.
    await db.query(`
      INSERT INTO household_consents (household_id, scope, evidence, recorded_at)
      SELECT id, 'name_on_provenance_page', 'recorded at registration', COALESCE(consent_recorded_at, created_at)
        FROM households WHERE consent_public_display`);
  }

  async down(db: QueryRunner): Promise<void> {
    for (const table of [
      'household_consents',
      'audit_log',
      'refresh_tokens',
      'user_admin_units',
      'users',
      'buyers',
    ]) {
      await db.query(`DROP TABLE ${table}`);
    }
  }
}
