import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { AppConfig } from './app-config.js';

/** The keys the server holds: ID-number encryption (current and previous) and token signing. */
export class Secrets {
  constructor(
    readonly idKeyId: string,
    readonly idKey: Buffer,
    readonly previousIdKeys: Map<string, Buffer>,
    readonly tokenSecret: Buffer,
    readonly labelKeyId: string,
    readonly labelKey: Buffer,
    readonly previousLabelKeys: Map<string, Buffer>,
    readonly logSigningKey: Buffer,
  ) {}
}

interface LocalSecretsFile {
  idEncryptionKey: string;
  idEncryptionKeyId: string;
  authTokenSecret?: string;
  labelSigningKey?: string;
  logSigningKey?: string;
}

/**
 * Keys come from configuration. An embedded database with none configured gets them generated
 * beside it in DATA_DIR/secrets.json, so data and keys travel together; a server database
 * requires them (the configuration check says so).
 */
export function loadSecrets(config: AppConfig): Secrets {
  let idKeyId = config.idEncryptionKeyId;
  let idKey = config.idEncryptionKey;
  let tokenSecret = config.authTokenSecret;
  let labelKey = config.labelSigningKey;
  let logKey = config.logSigningKey;
  if (!idKey || !tokenSecret || !labelKey || !logKey) {
    if (config.inMemory || config.databaseUrl) {
      idKey ??= randomBytes(32);
      tokenSecret ??= randomBytes(32);
      labelKey ??= randomBytes(32);
      logKey ??= randomBytes(32);
    } else {
      const local = localSecrets(join(resolve(config.dataDir), 'secrets.json'));
      if (!idKey) {
        idKey = Buffer.from(local.idEncryptionKey, 'base64');
        idKeyId = local.idEncryptionKeyId;
      }
      tokenSecret ??= Buffer.from(local.authTokenSecret!, 'base64');
      labelKey ??= Buffer.from(local.labelSigningKey!, 'base64');
      logKey ??= Buffer.from(local.logSigningKey!, 'base64');
    }
  }
  return new Secrets(
    idKeyId,
    idKey,
    config.previousIdKeys,
    tokenSecret,
    config.labelSigningKeyId,
    labelKey,
    config.previousLabelKeys,
    logKey,
  );
}

function localSecrets(path: string): LocalSecretsFile {
  const existing: Partial<LocalSecretsFile> = existsSync(path)
    ? JSON.parse(readFileSync(path, 'utf8'))
    : {};
  const secrets: LocalSecretsFile = {
    idEncryptionKey: existing.idEncryptionKey ?? randomBytes(32).toString('base64'),
    idEncryptionKeyId: existing.idEncryptionKeyId ?? 'local1',
    authTokenSecret: existing.authTokenSecret ?? randomBytes(32).toString('base64'),
    labelSigningKey: existing.labelSigningKey ?? randomBytes(32).toString('base64'),
    logSigningKey: existing.logSigningKey ?? randomBytes(32).toString('base64'),
  };
  if (JSON.stringify(existing) !== JSON.stringify(secrets)) {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, JSON.stringify(secrets, null, 2), { mode: 0o600 });
  }
  return secrets;
}
