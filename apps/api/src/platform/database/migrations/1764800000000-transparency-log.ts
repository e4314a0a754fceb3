import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The transparency log (RFC 9162): one leaf per event, in the order they joined, and the signed
 * checkpoint each batch ended in. Both are append-only; outsiders keep copies of checkpoints.
 */
export class TransparencyLog1764800000000 implements MigrationInterface {
  name = 'TransparencyLog1764800000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE log_leaves (
        leaf_index bigint PRIMARY KEY,
        event_seq bigint NOT NULL,
        leaf_hash char(64) NOT NULL,
        entry text NOT NULL,
        logged_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT uq_log_leaves_event UNIQUE (event_seq)
      )`);
    await db.query(`
      CREATE TABLE log_checkpoints (
        tree_size bigint PRIMARY KEY,
        root_hash char(64) NOT NULL,
        note text NOT NULL,
        signed_at timestamptz NOT NULL DEFAULT now()
      )`);
    for (const table of ['log_leaves', 'log_checkpoints']) {
      await db.query(`
        CREATE TRIGGER tr_${table}_append_only BEFORE UPDATE OR DELETE ON ${table}
          FOR EACH ROW EXECUTE FUNCTION history_append_only()`);
    }
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query('DROP TABLE log_checkpoints');
    await db.query('DROP TABLE log_leaves');
  }
}
