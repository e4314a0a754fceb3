import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes } from 'node:crypto';
import { maskIdNumber } from '@huuco/domain';
import type { Secrets } from '../../platform/config/secrets.js';

export interface SealedIdNumber {
  ciphertext: string;
  keyId: string;
  hash: string;
  masked: string;
}

function indexKeyOf(key: Buffer): Buffer {
  return Buffer.from(hkdfSync('sha256', key, Buffer.alloc(0), 'huuco id-number index', 32));
}

/**
 * Household ID numbers at rest: AES-256-GCM under the current key, with a keyed hash beside it
 * so that uniqueness holds without decrypting anything. Previous keys still open and hash what
 * was sealed under them, until `npm run rotate-id-key` has re-sealed every row.
 */
export class IdNumberCipher {
  private readonly keys: Map<string, Buffer>;

  constructor(
    private readonly key: Buffer,
    readonly keyId: string,
    previous: Map<string, Buffer> = new Map(),
  ) {
    this.keys = new Map([...previous, [keyId, key]]);
  }

  static from(secrets: Secrets): IdNumberCipher {
    return new IdNumberCipher(secrets.idKey, secrets.idKeyId, secrets.previousIdKeys);
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

  open(ciphertext: string, keyId: string = this.keyId): string {
    const key = this.keys.get(keyId);
    if (!key) throw new Error(`ID key ${keyId} is not configured`);
    const [iv, tag, encrypted] = ciphertext.split('.').map((part) => Buffer.from(part, 'base64'));
    const decipher = createDecipheriv('aes-256-gcm', key, iv!);
    decipher.setAuthTag(tag!);
    return Buffer.concat([decipher.update(encrypted!), decipher.final()]).toString('utf8');
  }

  hash(idNumber: string, keyId: string = this.keyId): string {
    const key = this.keys.get(keyId);
    if (!key) throw new Error(`ID key ${keyId} is not configured`);
    return createHmac('sha256', indexKeyOf(key)).update(idNumber).digest('hex');
  }

  /** The number's hash under every configured key: a duplicate may be stored under any. */
  allHashes(idNumber: string): string[] {
    return [...this.keys.keys()].map((keyId) => this.hash(idNumber, keyId));
  }
}
