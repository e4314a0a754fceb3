import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { maskIdNumber } from '@huuco/domain';
import type { AppConfig } from '../config/app-config.js';
import { secretsPath } from '../database/data-source.js';

export interface SealedIdNumber {
  ciphertext: string;
  keyId: string;
  hash: string;
  masked: string;
}

/**
 * Household ID numbers at rest: AES-256-GCM under a key from configuration, with a keyed
 * hash beside it so that uniqueness holds without decrypting anything.
 */
export class IdNumberCipher {
  private readonly indexKey: Buffer;

  constructor(
    private readonly key: Buffer,
    readonly keyId: string,
  ) {
    this.indexKey = Buffer.from(
      hkdfSync('sha256', key, Buffer.alloc(0), 'huuco id-number index', 32),
    );
  }

  seal(idNumber: string): SealedIdNumber {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    const encrypted = Buffer.concat([cipher.update(idNumber, 'utf8'), cipher.final()]);
    const tag = cipher.getAuthTag();
    return {
      ciphertext: [iv, tag, encrypted].map((part) => part.toString('base64')).join('.'),
      keyId: this.keyId,
      hash: this.hash(idNumber),
      masked: maskIdNumber(idNumber),
    };
  }

  open(ciphertext: string): string {
    const [iv, tag, encrypted] = ciphertext.split('.').map((part) => Buffer.from(part, 'base64'));
    const decipher = createDecipheriv('aes-256-gcm', this.key, iv!);
    decipher.setAuthTag(tag!);
    return Buffer.concat([decipher.update(encrypted!), decipher.final()]).toString('utf8');
  }

  hash(idNumber: string): string {
    return createHmac('sha256', this.indexKey).update(idNumber).digest('hex');
  }
}

/**
 * The key comes from ID_ENCRYPTION_KEY. An embedded database with none configured gets one
 * generated beside it in DATA_DIR, so the two travel together; a server database requires it.
 */
export function idNumberCipherFor(config: AppConfig): IdNumberCipher {
  if (config.idEncryptionKey)
    return new IdNumberCipher(config.idEncryptionKey, config.idEncryptionKeyId);
  if (config.databaseUrl) {
    throw new Error('ID_ENCRYPTION_KEY: required with DATABASE_URL (openssl rand -base64 32)');
  }
  if (config.inMemory) return new IdNumberCipher(randomBytes(32), 'ephemeral');
  const path = secretsPath(config);
  if (!existsSync(path)) {
    mkdirSync(dirname(path), { recursive: true });
    const secrets = {
      idEncryptionKey: randomBytes(32).toString('base64'),
      idEncryptionKeyId: 'local1',
    };
    writeFileSync(path, JSON.stringify(secrets, null, 2), { mode: 0o600 });
  }
  const secrets = JSON.parse(readFileSync(path, 'utf8')) as {
    idEncryptionKey: string;
    idEncryptionKeyId: string;
  };
  return new IdNumberCipher(
    Buffer.from(secrets.idEncryptionKey, 'base64'),
    secrets.idEncryptionKeyId,
  );
}
