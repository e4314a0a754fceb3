import { ConfigError, loadConfig } from './platform/config/app-config.js';
import { createApp } from './app.js';

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig(process.env);
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(1);
    }
    throw error;
  }
  const app = await createApp(config);
  await app.listen({ port: config.port, host: config.host });
  const where =
    config.databaseKind === 'embedded'
      ? `embedded database in ${config.dataDir}`
      : 'PostgreSQL server';
  console.log(`huuco is serving on http://localhost:${config.port} (${where})`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
