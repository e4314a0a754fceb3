import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { AppModule } from '../app.module.js';
import { loadConfig } from '../platform/config/app-config.js';
import { IdKeyRotation } from '../registry/households/id-key-rotation.js';

/** `npm run rotate-id-key`: re-seal ID numbers under ID_ENCRYPTION_KEY (see docs/operations.md). */
async function rotate(): Promise<void> {
  const config = loadConfig({ ...process.env, DEMO_DATA: 'off' });
  const app = await NestFactory.createApplicationContext(AppModule.forConfig(config), {
    logger: ['error'],
  });
  try {
    const count = await app.get(IdKeyRotation).run();
    console.log(`${count} ID numbers re-sealed under key ${config.idEncryptionKeyId}.`);
  } finally {
    await app.close();
  }
}

rotate().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
