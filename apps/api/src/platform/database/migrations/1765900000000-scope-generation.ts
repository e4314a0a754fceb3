import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * One number that every change of the admin-unit tree (a new unit, a merge, a split) raises in
 * its own transaction. Every process keys the scopes it keeps by it, and reads it with the
 * user on every request: once such a write has answered, no process uses a scope from before it.
 */
export class ScopeGeneration1765900000000 implements MigrationInterface {
  name = 'ScopeGeneration1765900000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE scope_generation (
        id smallint PRIMARY KEY CHECK (id = 1),
        generation bigint NOT NULL
      )`);
    await db.query('INSERT INTO scope_generation (id, generation) VALUES (1, 0)');
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query('DROP TABLE scope_generation');
  }
}
