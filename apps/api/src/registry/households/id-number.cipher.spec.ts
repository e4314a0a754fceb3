import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { IdNumberCipher } from './id-number.cipher.js';

describe('IdNumberCipher', () => {
  const cipher = new IdNumberCipher(randomBytes(32), 'k1');

  it('round-trips and never stores the number in clear', () => {
    const sealed = cipher.seal('030123456189');
    expect(sealed.ciphertext).not.toContain('030123456189');
    expect(sealed.masked).toBe('030******189');
    expect(cipher.open(sealed.ciphertext)).toBe('030123456189');
  });

  it('encrypts the same number differently each time but hashes it the same', () => {
    const a = cipher.seal('030123456189');
    const b = cipher.seal('030123456189');
    expect(a.ciphertext).not.toBe(b.ciphertext);
    expect(a.hash).toBe(b.hash);
  });

  it('refuses a tampered ciphertext', () => {
    const sealed = cipher.seal('030123456189');
    const [iv, tag, body] = sealed.ciphertext.split('.');
    const flipped = Buffer.from(body!, 'base64');
    flipped[0] = flipped[0]! ^ 1;
    expect(() => cipher.open([iv, tag, flipped.toString('base64')].join('.'))).toThrow();
  });
});

describe('IdNumberCipher key rotation', () => {
  it('opens and recognises numbers sealed under a previous key', () => {
    const oldKey = randomBytes(32);
    const before = new IdNumberCipher(oldKey, 'k1');
    const sealed = before.seal('030123456189');
    const after = new IdNumberCipher(randomBytes(32), 'k2', new Map([['k1', oldKey]]));
    expect(after.open(sealed.ciphertext, sealed.keyId)).toBe('030123456189');
    expect(after.allHashes('030123456189')).toContain(sealed.hash);
    expect(after.seal('030123456189').keyId).toBe('k2');
  });
});
