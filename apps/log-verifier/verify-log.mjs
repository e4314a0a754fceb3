#!/usr/bin/env node
// Checks that huuco's public log still extends a checkpoint saved earlier: the operator cannot
// rewrite history without this failing. Standalone on purpose: Node 20 and nothing else, none of
// the server's code, so anyone can read it in one sitting and run it against any huuco.
//
//   node verify-log.mjs --checkpoint saved.txt --url https://truyxuat.example.vn [--key VKEY] [--update]
//   node verify-log.mjs --lot https://truyxuat.example.vn/01/…/10/…?s=… [--key VKEY]
//                                                   a lot's events are in the log it signed
//   node verify-log.mjs --new-witness NAME            a witness key: its seed (keep it) and verifier key
//   … --cosign SEED_FILE --witness NAME             once verified, cosign the latest checkpoint
import {
  createHash,
  createPrivateKey,
  createPublicKey,
  randomBytes,
  sign,
  verify,
} from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

const DASH = '\u2014';
const sha256 = (...parts) => {
  const hash = createHash('sha256');
  for (const part of parts) hash.update(part);
  return hash.digest();
};
const node = (left, right) => sha256(Buffer.from([1]), left, right);

/** A C2SP verifier key: `<name>+<hex key hash>+<base64(0x01 ‖ Ed25519 public key)>`. */
export function parseVerifierKey(vkey) {
  // The key itself is base64 and may hold '+': only the first two separate.
  const first = vkey.indexOf('+');
  const second = vkey.indexOf('+', first + 1);
  const name = first > 0 ? vkey.slice(0, first) : '';
  const hash = second > first ? vkey.slice(first + 1, second) : '';
  const raw = Buffer.from(second > 0 ? vkey.slice(second + 1) : '', 'base64');
  if (!name || !hash || raw.length !== 33 || raw[0] !== 1)
    throw new Error('not an Ed25519 verifier key');
  const publicKey = raw.subarray(1);
  const expected = sha256(Buffer.from(`${name}\n`), Buffer.from([1]), publicKey).subarray(0, 4);
  if (expected.toString('hex') !== hash)
    throw new Error('the verifier key’s hash does not match it');
  return { name, keyHash: expected, publicKey };
}

/** The checkpoint a signed note carries, if `key` signed it (C2SP signed-note, tlog-checkpoint). */
export function openCheckpoint(note, key) {
  const at = note.lastIndexOf('\n\n');
  if (at < 0) throw new Error('not a signed note');
  const text = note.slice(0, at + 1);
  const spki = createPublicKey({
    key: Buffer.concat([Buffer.from('302a300506032b6570032100', 'hex'), key.publicKey]),
    format: 'der',
    type: 'spki',
  });
  const signed = note
    .slice(at + 2)
    .split('\n')
    .filter((line) => line.startsWith(`${DASH} ${key.name} `))
    .some((line) => {
      const blob = Buffer.from(line.slice(DASH.length + key.name.length + 2), 'base64');
      return (
        blob.length === 68 &&
        blob.subarray(0, 4).equals(key.keyHash) &&
        verify(null, Buffer.from(text), spki, blob.subarray(4))
      );
    });
  if (!signed) throw new Error(`not signed by ${key.name}`);
  const [origin, size, root] = text.split('\n');
  const hash = Buffer.from(root ?? '', 'base64');
  if (!origin || !/^\d+$/.test(size ?? '') || hash.length !== 32)
    throw new Error('not a checkpoint');
  return { origin, size: Number(size), root: hash };
}

/** RFC 9162 §2.1.4.2. */
export function verifyConsistency(from, to, fromRoot, toRoot, path) {
  if (from < 0 || from > to) return false;
  if (from === to) return path.length === 0 && fromRoot.equals(toRoot);
  if (from === 0) return path.length === 0;
  if (path.length === 0 || path.some((p) => p.length !== 32)) return false;
  const steps = (from & (from - 1)) === 0 ? [fromRoot, ...path] : path;
  let fn = from - 1;
  let sn = to - 1;
  while (fn % 2 === 1) [fn, sn] = [Math.floor(fn / 2), Math.floor(sn / 2)];
  let fr = steps[0];
  let sr = steps[0];
  for (const c of steps.slice(1)) {
    if (sn === 0) return false;
    if (fn % 2 === 1 || fn === sn) {
      fr = node(c, fr);
      sr = node(c, sr);
      while (fn % 2 === 0 && fn !== 0) [fn, sn] = [Math.floor(fn / 2), Math.floor(sn / 2)];
    } else {
      sr = node(sr, c);
    }
    [fn, sn] = [Math.floor(fn / 2), Math.floor(sn / 2)];
  }
  return sn === 0 && fr.equals(fromRoot) && sr.equals(toRoot);
}

/** RFC 9162 §2.1.3.2: an event's leaf is in the tree of `size` whose root is `root`. */
export function verifyInclusion(index, size, leaf, path, root) {
  if (index < 0 || index >= size || leaf.length !== 32) return false;
  let fn = index;
  let sn = size - 1;
  let r = leaf;
  for (const p of path) {
    if (sn === 0 || p.length !== 32) return false;
    if (fn % 2 === 1 || fn === sn) {
      r = node(p, r);
      while (fn % 2 === 0 && fn !== 0) [fn, sn] = [Math.floor(fn / 2), Math.floor(sn / 2)];
    } else {
      r = node(r, p);
    }
    [fn, sn] = [Math.floor(fn / 2), Math.floor(sn / 2)];
  }
  return sn === 0 && r.equals(root);
}

async function get(url, as) {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
  return as === 'text' ? response.text() : response.json();
}

/**
 * Does the live log at `url` extend the checkpoint in `savedNote`? Answers `{ ok, message,
 * latest }`; `ok` is false when the log no longer contains the history the checkpoint commits to.
 */
export async function verifyLog({ savedNote, url, verifierKey }) {
  const base = url.replace(/\/$/, '');
  const vkey = verifierKey ?? (await get(`${base}/api/v1/log/key`)).verifierKey;
  const key = parseVerifierKey(vkey);
  const saved = openCheckpoint(savedNote, key);
  const latestNote = await get(`${base}/api/v1/log/checkpoint`, 'text');
  const latest = openCheckpoint(latestNote, key);
  if (latest.origin !== saved.origin)
    return {
      ok: false,
      message: `the log is ${latest.origin}, the checkpoint is of ${saved.origin}`,
    };
  if (latest.size < saved.size)
    return {
      ok: false,
      message: `the log holds ${latest.size} entries, fewer than the ${saved.size} saved`,
    };
  const proof = await get(
    `${base}/api/v1/log/proof/consistency?from=${saved.size}&to=${latest.size}`,
  );
  const path = proof.consistencyPath.map((h) => Buffer.from(h, 'hex'));
  if (!verifyConsistency(saved.size, latest.size, saved.root, latest.root, path)) {
    return {
      ok: false,
      message: `REWRITTEN: the log of ${latest.size} entries does not extend the saved checkpoint of ${saved.size}; its first ${saved.size} entries are not the ones signed then`,
    };
  }
  return {
    ok: true,
    message: `the log of ${latest.size} entries extends the saved checkpoint of ${saved.size}`,
    latestNote,
  };
}

/**
 * The steps of "checking a lot's events by hand": the page names each event's place in the tree
 * of the checkpoint it holds against, signed with `key`; each event's proof (`proofs[i]`, as
 * `GET /api/v1/log/proof/inclusion` answers it for that checkpoint's size) gives its entry, which
 * names the event and hashes to its leaf, and the audit path from that leaf, at that place, to
 * the checkpoint's root. Answers `{ ok, message, checkpoint }`.
 */
export function verifyLotLog(log, proofs, key) {
  if (!log?.checkpoint) return { ok: false, message: 'the page holds no checkpoint yet' };
  const checkpoint = openCheckpoint(log.checkpoint.note, key);
  for (const [i, event] of log.events.entries()) {
    const proof = proofs[i];
    if (!proof || proof.leafIndex !== event.leafIndex || proof.treeSize !== checkpoint.size)
      return {
        ok: false,
        message: `the log's proof of ${event.eventID} is not for leaf ${event.leafIndex} of the log of ${checkpoint.size} entries`,
      };
    let named;
    try {
      named = JSON.parse(proof.entry).eventID;
    } catch {
      named = undefined;
    }
    if (named !== event.eventID)
      return { ok: false, message: `the log entry of ${event.eventID} names another event` };
    const leaf = sha256(Buffer.from([0]), Buffer.from(proof.entry, 'utf8'));
    if (leaf.toString('hex') !== proof.leafHash)
      return { ok: false, message: `the log entry of ${event.eventID} does not hash to its leaf` };
    const path = proof.auditPath.map((h) => Buffer.from(h, 'hex'));
    if (!verifyInclusion(event.leafIndex, checkpoint.size, leaf, path, checkpoint.root))
      return {
        ok: false,
        message: `${event.eventID} is not leaf ${event.leafIndex} of the log of ${checkpoint.size} entries`,
      };
  }
  const waiting = log.pending.length ? `; ${log.pending.length} not yet logged` : '';
  return {
    ok: true,
    message: `${log.events.length} events are in the log of ${checkpoint.size} entries${waiting}`,
    checkpoint,
  };
}

/** Each of the page's events' inclusion proof against the checkpoint the page holds against. */
export async function lotLogProofs(base, log) {
  if (!log?.checkpoint) return [];
  const proofs = [];
  // A few at a time: a lot's events are a few dozen at most.
  for (let i = 0; i < log.events.length; i += 8) {
    const batch = log.events
      .slice(i, i + 8)
      .map((event) =>
        get(
          `${base}/api/v1/log/proof/inclusion?event=${encodeURIComponent(event.eventID)}&size=${log.checkpoint.size}`,
        ),
      );
    proofs.push(...(await Promise.all(batch)));
  }
  return proofs;
}

/**
 * Fetches a lot's page and its events' inclusion proofs and checks them, then that the live log
 * still extends the checkpoint they hold against.
 */
export async function verifyLot({ lotUrl, verifierKey }) {
  const response = await fetch(lotUrl, { headers: { accept: 'application/json' } });
  if (!response.ok) throw new Error(`${lotUrl}: HTTP ${response.status}`);
  const { document } = await response.json();
  const base = new URL(lotUrl).origin;
  const vkey = verifierKey ?? (await get(`${base}/api/v1/log/key`)).verifierKey;
  const proofs = await lotLogProofs(base, document.log);
  const included = verifyLotLog(document.log, proofs, parseVerifierKey(vkey));
  if (!included.ok) return included;
  const extended = await verifyLog({
    savedNote: document.log.checkpoint.note,
    url: base,
    verifierKey: vkey,
  });
  return {
    ok: extended.ok,
    message: `${included.message}; ${extended.message}`,
  };
}

/** A new witness key: its 32-byte seed and its C2SP verifier key (type 0x04, cosignature/v1). */
export function newWitness(name) {
  const seed = randomBytes(32);
  return { seed: seed.toString('base64'), verifierKey: witnessVerifierKey(name, seed) };
}

function witnessPrivateKey(seed) {
  return createPrivateKey({
    key: Buffer.concat([Buffer.from('302e020100300506032b657004220420', 'hex'), seed]),
    format: 'der',
    type: 'pkcs8',
  });
}

export function witnessVerifierKey(name, seed) {
  const der = createPublicKey(witnessPrivateKey(seed)).export({ type: 'spki', format: 'der' });
  const publicKey = der.subarray(der.length - 32);
  const hash = sha256(Buffer.from(`${name}\n`), Buffer.from([4]), publicKey).subarray(0, 4);
  return `${name}+${hash.toString('hex')}+${Buffer.concat([Buffer.from([4]), publicKey]).toString('base64')}`;
}

/** The witness's signature line on a checkpoint note (C2SP tlog-cosignature, cosignature/v1). */
export function cosignatureLine(note, name, seed, time = BigInt(Math.floor(Date.now() / 1000))) {
  const text = note.slice(0, note.lastIndexOf('\n\n') + 1);
  const der = createPublicKey(witnessPrivateKey(seed)).export({ type: 'spki', format: 'der' });
  const publicKey = der.subarray(der.length - 32);
  const hash = sha256(Buffer.from(`${name}\n`), Buffer.from([4]), publicKey).subarray(0, 4);
  const stamp = Buffer.alloc(8);
  stamp.writeBigUInt64BE(time);
  const signature = sign(
    null,
    Buffer.from(`cosignature/v1\ntime ${time}\n${text}`),
    witnessPrivateKey(seed),
  );
  return `${DASH} ${name} ${Buffer.concat([hash, stamp, signature]).toString('base64')}`;
}

/** Sends the cosignature of a checkpoint the witness has verified. */
export async function cosign({ url, note, name, seed }) {
  const size = Number(note.split('\n')[1]);
  const response = await fetch(`${url.replace(/\/$/, '')}/api/v1/log/cosignatures`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ treeSize: size, signature: cosignatureLine(note, name, seed) }),
  });
  if (!response.ok)
    throw new Error(`cosignature refused: HTTP ${response.status} ${await response.text()}`);
  return response.json();
}

async function main(argv) {
  const arg = (name) => {
    const at = argv.indexOf(`--${name}`);
    return at >= 0 ? argv[at + 1] : undefined;
  };
  const witnessName = arg('new-witness');
  if (witnessName) {
    console.log(JSON.stringify(newWitness(witnessName), null, 2));
    return 0;
  }
  const lotUrl = arg('lot');
  if (lotUrl) {
    try {
      const result = await verifyLot({ lotUrl, verifierKey: arg('key') });
      console.log(result.message);
      return result.ok ? 0 : 1;
    } catch (error) {
      console.error(`verify-log: ${error.message}`);
      return 2;
    }
  }
  const file = arg('checkpoint');
  const url = arg('url');
  if (!file || !url) {
    console.error(
      'usage: verify-log --checkpoint FILE --url URL [--key VERIFIER_KEY] [--update]\n' +
        '       verify-log --lot LOT_PAGE_URL [--key VERIFIER_KEY]',
    );
    return 2;
  }
  try {
    const result = await verifyLog({
      savedNote: readFileSync(file, 'utf8'),
      url,
      verifierKey: arg('key'),
    });
    console.log(result.message);
    if (result.ok && argv.includes('--update')) writeFileSync(file, result.latestNote);
    const seedFile = arg('cosign');
    if (result.ok && seedFile) {
      const seed = Buffer.from(readFileSync(seedFile, 'utf8').trim(), 'base64');
      const sent = await cosign({
        url,
        note: result.latestNote,
        name: arg('witness') ?? 'witness',
        seed,
      });
      console.log(`cosigned checkpoint ${sent.treeSize} as ${sent.witness}`);
    }
    return result.ok ? 0 : 1;
  } catch (error) {
    console.error(`verify-log: ${error.message}`);
    return 2;
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href)
  process.exitCode = await main(process.argv.slice(2));
