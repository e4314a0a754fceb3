import pg from 'pg';

/**
 * Against a PostgreSQL server (DATABASE_URL set) the suite starts from an empty schema; each
 * app then migrates it under an advisory lock. The embedded runs need nothing: each test file
 * gets its own in-memory database.
 */
export default async function setup(): Promise<void> {
  const url = process.env['DATABASE_URL'];
  if (!url) return;
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query('DROP SCHEMA IF EXISTS public CASCADE');
    await client.query('CREATE SCHEMA public');
  } finally {
    await client.end();
  }
}
