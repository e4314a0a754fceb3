import {
  createHash,
  createPrivateKey,
  createPublicKey,
  sign,
  verify,
  type KeyObject,
} from 'node:crypto';

/**
 * C2SP signed-note with Ed25519, and the tlog-checkpoint body it signs:
 *
 *   <origin>\n<tree size>\n<base64 root hash>\n
 *   \n
 *   — <key name> <base64(key hash ‖ signature)>\n
 *
 * The key hash is the first 4 bytes of SHA-256(key name ‖ "\n" ‖ 0x01 ‖ public key).
 */
const ED25519 = 0x01;
const PKCS8_SEED_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');
const DASH = '\u2014';

export interface Checkpoint {
  origin: string;
  size: number;
  root: Buffer;
}

export class NoteSigner {
  readonly publicKey: Buffer;
  readonly keyHash: Buffer;
  private readonly privateKey: KeyObject;

  /** `seed`: the 32-byte Ed25519 private key. */
  constructor(
    readonly keyName: string,
    seed: Buffer,
  ) {
    if (seed.length !== 32) throw new Error('the log signing key is 32 bytes');
    this.privateKey = createPrivateKey({
      key: Buffer.concat([PKCS8_SEED_PREFIX, seed]),
      format: 'der',
      type: 'pkcs8',
    });
    this.publicKey = rawPublicKey(createPublicKey(this.privateKey));
    this.keyHash = keyHashOf(keyName, this.publicKey);
  }

  /** The note's text followed by this key's signature line. */
  sign(text: string): string {
    const signature = sign(null, Buffer.from(text, 'utf8'), this.privateKey);
    return `${text}\n${DASH} ${this.keyName} ${Buffer.concat([this.keyHash, signature]).toString('base64')}\n`;
  }

  /** The C2SP verifier key: `<name>+<hex key hash>+<base64(0x01 ‖ public key)>`. */
  get verifierKey(): string {
    return `${this.keyName}+${this.keyHash.toString('hex')}+${Buffer.concat([Buffer.from([ED25519]), this.publicKey]).toString('base64')}`;
  }

  get publicKeyPem(): string {
    return createPublicKey(this.privateKey).export({ type: 'spki', format: 'pem' }).toString();
  }
}

export function checkpointText(c: Checkpoint): string {
  return `${c.origin}\n${c.size}\n${c.root.toString('base64')}\n`;
}

export function keyHashOf(keyName: string, publicKey: Buffer): Buffer {
  return createHash('sha256')
    .update(Buffer.concat([Buffer.from(`${keyName}\n`, 'utf8'), Buffer.from([ED25519]), publicKey]))
    .digest()
    .subarray(0, 4);
}

/** The text of a note and whether the named key signed it. */
export function openNote(
  note: string,
  keyName: string,
  publicKey: Buffer,
): { text: string; signed: boolean } {
  const at = note.lastIndexOf('\n\n');
  if (at < 0) return { text: note, signed: false };
  const text = note.slice(0, at + 1);
  const wanted = keyHashOf(keyName, publicKey);
  const key = createPublicKey({
    key: Buffer.concat([Buffer.from('302a300506032b6570032100', 'hex'), publicKey]),
    format: 'der',
    type: 'spki',
  });
  const signed = note
    .slice(at + 2)
    .split('\n')
    .filter((line) => line.startsWith(`${DASH} ${keyName} `))
    .some((line) => {
      const blob = Buffer.from(line.slice(DASH.length + keyName.length + 2), 'base64');
      return (
        blob.length === 68 &&
        blob.subarray(0, 4).equals(wanted) &&
        verify(null, Buffer.from(text, 'utf8'), key, blob.subarray(4))
      );
    });
  return { text, signed };
}

const COSIGNATURE = 0x04;

/** A witness's key as configured: a C2SP verifier key of type 0x04 (Ed25519 cosignature/v1). */
export interface WitnessKey {
  name: string;
  keyHash: Buffer;
  publicKey: Buffer;
}

export function parseWitnessKey(vkey: string): WitnessKey {
  const first = vkey.indexOf('+');
  const second = vkey.indexOf('+', first + 1);
  const name = vkey.slice(0, first);
  const raw = Buffer.from(vkey.slice(second + 1), 'base64');
  if (first <= 0 || second <= first || raw.length !== 33 || raw[0] !== COSIGNATURE)
    throw new Error(`not an Ed25519 cosignature/v1 verifier key: ${vkey.slice(0, 40)}`);
  const publicKey = raw.subarray(1);
  const keyHash = createHash('sha256')
    .update(
      Buffer.concat([Buffer.from(`${name}\n`, 'utf8'), Buffer.from([COSIGNATURE]), publicKey]),
    )
    .digest()
    .subarray(0, 4);
  if (keyHash.toString('hex') !== vkey.slice(first + 1, second))
    throw new Error(`the key hash of witness ${name} does not match its key`);
  return { name, keyHash, publicKey };
}

/** What a witness signs (C2SP tlog-cosignature): the checkpoint text, with the time it did. */
export function cosignedMessage(checkpoint: string, time: bigint): Buffer {
  return Buffer.from(`cosignature/v1\ntime ${time}\n${checkpoint}`, 'utf8');
}

/**
 * A witness's signature line on a checkpoint, `— <name> <base64(key hash ‖ time ‖ signature)>`,
 * if one of the keys made it over this checkpoint text: the time it was made.
 */
export function openCosignature(
  line: string,
  checkpoint: string,
  witnesses: WitnessKey[],
): { witness: string; time: bigint } | null {
  const match = /^\u2014 (\S+) ([A-Za-z0-9+/=]+)$/.exec(line.trim());
  if (!match) return null;
  const witness = witnesses.find((w) => w.name === match[1]);
  const blob = Buffer.from(match[2]!, 'base64');
  if (!witness || blob.length !== 76 || !blob.subarray(0, 4).equals(witness.keyHash)) return null;
  const time = blob.readBigUInt64BE(4);
  const key = createPublicKey({
    key: Buffer.concat([Buffer.from('302a300506032b6570032100', 'hex'), witness.publicKey]),
    format: 'der',
    type: 'spki',
  });
  return verify(null, cosignedMessage(checkpoint, time), key, blob.subarray(12))
    ? { witness: witness.name, time }
    : null;
}

/** The checkpoint a note's text carries, or null if it is not one. */
export function parseCheckpoint(text: string): Checkpoint | null {
  const [origin, size, root] = text.split('\n');
  if (!origin || !size || !/^\d+$/.test(size) || !root) return null;
  const hash = Buffer.from(root, 'base64');
  return hash.length === 32 ? { origin, size: Number(size), root: hash } : null;
}

function rawPublicKey(key: KeyObject): Buffer {
  const der = key.export({ type: 'spki', format: 'der' });
  return Buffer.from(der.subarray(der.length - 32));
}
