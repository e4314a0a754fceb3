import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { AppModule } from '../app.module.js';
import { ConfigError, loadConfig } from '../platform/config/app-config.js';
import { DemoSeeder } from '../demo/demo.seeder.js';

/** `npm run seed`: loads the demo into the configured database if it holds no registry yet. */
async function seed(): Promise<void> {
  const config = loadConfig({ ...process.env, DEMO_DATA: 'off' });
  const app = await NestFactory.createApplicationContext(AppModule.forConfig(config), {
    logger: ['error', 'warn', 'log'],
  });
  try {
    const loaded = await app.get(DemoSeeder).seedIfEmpty();
    console.log(
      loaded ? 'Demo data loaded.' : 'The database already holds a registry; nothing was loaded.',
    );
  } finally {
    await app.close();
  }
}

seed().catch((error: unknown) => {
  console.error(error instanceof ConfigError || error instanceof Error ? error.message : error);
  process.exit(1);
});
