import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Witnesses' cosignatures of checkpoints (C2SP tlog-cosignature), append-only. */
export class LogCosignatures1765000000000 implements MigrationInterface {
  name = 'LogCosignatures1765000000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE log_cosignatures (
        tree_size bigint NOT NULL REFERENCES log_checkpoints(tree_size),
        witness varchar(200) NOT NULL,
        signature_line text NOT NULL,
        signed_at timestamptz NOT NULL,
        received_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (tree_size, witness)
      )`);
    await db.query(`
      CREATE TRIGGER tr_log_cosignatures_append_only BEFORE UPDATE OR DELETE ON log_cosignatures
        FOR EACH ROW EXECUTE FUNCTION history_append_only()`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query('DROP TABLE log_cosignatures');
  }
}
