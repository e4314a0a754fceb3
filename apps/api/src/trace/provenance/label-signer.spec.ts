import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../platform/config/app-config.js';
import { Secrets } from '../../platform/config/secrets.js';
import { LabelSigner } from './label-signer.js';

function signer(keyId: string, key: Buffer, previous = new Map<string, Buffer>()) {
  const config = loadConfig({ PUBLIC_BASE_URL: 'https://truyxuat.example.vn' });
  return new LabelSigner(
    new Secrets(
      'k1',
      randomBytes(32),
      new Map(),
      randomBytes(32),
      keyId,
      key,
      previous,
      randomBytes(32),
    ),
    config,
  );
}

const parts = (url: string) => {
  const u = new URL(url);
  return [
    u.pathname,
    u.searchParams.get('k') ?? undefined,
    u.searchParams.get('s') ?? undefined,
  ] as const;
};

describe('label signatures', () => {
  const key = randomBytes(32);
  const labels = signer('q1', key);

  it('sign the Digital Link address and verify it', () => {
    const url = labels.urlFor('25M-7KQ3MZ', '18936000123458');
    expect(url).toMatch(
      /^https:\/\/truyxuat\.example\.vn\/01\/18936000123458\/10\/25M-7KQ3MZ\?k=q1&s=[\w-]{16}$/,
    );
    expect(labels.verify(...parts(url))).toEqual({ genuine: true, keyId: 'q1' });
  });

  it('refuse an altered lot, a truncated signature, no signature, or an unknown key', () => {
    const [path, k, s] = parts(labels.urlFor('25M-7KQ3MZ', null));
    // Found genuine first: what is remembered of it vouches for nothing else.
    expect(labels.verify(path, k, s).genuine).toBe(true);
    expect(labels.verify(path.replace('7KQ3MZ', '7KQ3MY'), k, s)).toEqual({
      genuine: false,
      reason: 'BAD_SIGNATURE',
    });
    expect(labels.verify(path, k, s!.slice(0, 12))).toEqual({
      genuine: false,
      reason: 'BAD_SIGNATURE',
    });
    expect(labels.verify(path, undefined, undefined)).toEqual({
      genuine: false,
      reason: 'UNSIGNED',
    });
    expect(labels.verify(path, 'q9', s)).toEqual({ genuine: false, reason: 'UNKNOWN_KEY' });
    const other = parts(labels.urlFor('25M-7KQ3MA', null))[2];
    expect(labels.verify(path, k, other)).toEqual({ genuine: false, reason: 'BAD_SIGNATURE' });
  });

  it('keep verifying labels printed under a previous key after rotation', () => {
    const printed = labels.urlFor('25M-7KQ3MZ', null);
    const rotated = signer('q2', randomBytes(32), new Map([['q1', key]]));
    expect(rotated.verify(...parts(printed))).toEqual({ genuine: true, keyId: 'q1' });
    expect(parts(rotated.urlFor('25M-7KQ3MZ', null))[1]).toBe('q2');
    const retired = signer('q2', randomBytes(32));
    expect(retired.verify(...parts(printed))).toEqual({ genuine: false, reason: 'UNKNOWN_KEY' });
  });
});
