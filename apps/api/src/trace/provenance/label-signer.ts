import { createHmac, timingSafeEqual } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { provenancePath } from '@huuco/domain';
import { AppConfig } from '../../platform/config/app-config.js';
import { Secrets } from '../../platform/config/secrets.js';

export type LabelVerdict =
  | { genuine: true; keyId: string }
  | { genuine: false; reason: 'UNSIGNED' | 'UNKNOWN_KEY' | 'BAD_SIGNATURE' };

/** Genuine labels a process remembers having checked: a campaign's few hundred, many times over. */
const GENUINE_KEPT = 20_000;

/**
 * Signs the address each label's QR carries, so an invented, altered or truncated code is
 * answered "not genuine". The key id travels with the signature: keys rotate, and labels
 * printed under a previous key keep verifying while that key is listed.
 */
@Injectable()
export class LabelSigner {
  private readonly keys: Map<string, Buffer>;

  constructor(
    private readonly secrets: Secrets,
    private readonly config: AppConfig,
  ) {
    this.keys = new Map([...secrets.previousLabelKeys, [secrets.labelKeyId, secrets.labelKey]]);
  }

  /** The full URL printed in the QR. */
  urlFor(lotCode: string, gtin: string | null): string {
    const path = provenancePath(lotCode, gtin);
    const keyId = this.secrets.labelKeyId;
    return `${this.config.publicBaseUrl}${path}?k=${keyId}&s=${signature(this.secrets.labelKey, path)}`;
  }

  /**
   * Labels found genuine, by what was scanned: a campaign's labels are scanned over and over,
   * and the signature of an address does not change. Only genuine ones are kept, so forged
   * codes cannot fill it; a key dropped from the configuration is dropped with the process.
   */
  private readonly genuine = new Set<string>();

  verify(path: string, keyId: string | undefined, given: string | undefined): LabelVerdict {
    if (!keyId || !given) return { genuine: false, reason: 'UNSIGNED' };
    const key = this.keys.get(keyId);
    if (!key) return { genuine: false, reason: 'UNKNOWN_KEY' };
    const scanned = `${keyId} ${given} ${path}`;
    if (this.genuine.has(scanned)) return { genuine: true, keyId };
    const expected = Buffer.from(signature(key, path));
    const actual = Buffer.from(given);
    if (expected.length !== actual.length || !timingSafeEqual(expected, actual)) {
      return { genuine: false, reason: 'BAD_SIGNATURE' };
    }
    if (this.genuine.size >= GENUINE_KEPT) this.genuine.clear();
    this.genuine.add(scanned);
    return { genuine: true, keyId };
  }
}

/** 96 bits of HMAC-SHA256, base64url: short enough for a small QR, far too long to guess. */
function signature(key: Buffer, path: string): string {
  return createHmac('sha256', key).update(path).digest().subarray(0, 12).toString('base64url');
}
