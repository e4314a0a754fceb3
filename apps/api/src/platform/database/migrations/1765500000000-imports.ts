import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Import jobs: a file brought in for a cooperative, checked row by row, then committed all at
 * once. The file is kept only until the commit (it may hold ID numbers in clear); the rows keep
 * what the preview shows, ID numbers masked.
 */
export class Imports1765500000000 implements MigrationInterface {
  name = 'Imports1765500000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE imports (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        kind varchar(12) NOT NULL,
        cooperative_id uuid NOT NULL REFERENCES cooperatives(id),
        created_by uuid NOT NULL REFERENCES users(id),
        status varchar(12) NOT NULL DEFAULT 'checking',
        file_name varchar(255) NOT NULL,
        file_sha256 char(64) NOT NULL,
        file bytea,
        format varchar(12),
        sheet varchar(120),
        header_row integer,
        mapping jsonb NOT NULL DEFAULT '{}',
        columns jsonb NOT NULL DEFAULT '[]',
        crs text,
        crs_given text,
        rows_read integer NOT NULL DEFAULT 0,
        rows_checked integer NOT NULL DEFAULT 0,
        rows_total integer NOT NULL DEFAULT 0,
        counts jsonb NOT NULL DEFAULT '{}',
        failure jsonb,
        created_at timestamptz NOT NULL DEFAULT now(),
        committed_at timestamptz,
        CONSTRAINT ck_imports_kind CHECK (kind IN ('households', 'plots')),
        CONSTRAINT ck_imports_status CHECK (status IN ('checking', 'ready', 'failed', 'committed'))
      )`);
    await db.query('CREATE INDEX ix_imports_cooperative ON imports (cooperative_id, created_at)');
    await db.query(`
      CREATE TABLE import_rows (
        import_id uuid NOT NULL REFERENCES imports(id) ON DELETE CASCADE,
        number integer NOT NULL,
        verdict varchar(10) NOT NULL,
        row_values jsonb NOT NULL,
        geometry jsonb,
        errors jsonb NOT NULL,
        PRIMARY KEY (import_id, number)
      )`);
    await db.query(
      'CREATE INDEX ix_import_rows_verdict ON import_rows (import_id, verdict, number)',
    );
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query('DROP TABLE import_rows');
    await db.query('DROP TABLE imports');
  }
}
