import { createHash } from 'node:crypto';

/**
 * RFC 9162 §2.1 Merkle tree hashing over SHA-256: a leaf is H(0x00 || entry), an interior node
 * H(0x01 || left || right), the tree over n leaves splits at the largest power of two below n.
 */
export const sha256 = (...parts: Buffer[]): Buffer => {
  const hash = createHash('sha256');
  for (const part of parts) hash.update(part);
  return hash.digest();
};

const LEAF = Buffer.from([0x00]);
const NODE = Buffer.from([0x01]);

export const leafHash = (entry: Buffer): Buffer => sha256(LEAF, entry);
export const nodeHash = (left: Buffer, right: Buffer): Buffer => sha256(NODE, left, right);

/** The largest power of two strictly below n (n ≥ 2). */
function split(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

/**
 * A tree over leaf hashes held in memory. The hash of every complete, aligned subtree is kept
 * once computed: they never change as the log grows, so a proof costs O(log n) hashes.
 */
export class MerkleTree {
  private readonly complete = new Map<string, Buffer>();

  constructor(private readonly leaves: Buffer[] = []) {}

  get size(): number {
    return this.leaves.length;
  }

  append(hashes: Buffer[]): void {
    this.leaves.push(...hashes);
  }

  leaf(index: number): Buffer {
    return this.leaves[index]!;
  }

  /** MTH(D[0:size]); the empty tree's is SHA-256 of nothing. */
  root(size = this.size): Buffer {
    this.check(size);
    return size === 0 ? sha256() : this.hash(0, size);
  }

  /** PATH(m, D[0:size]), RFC 9162 §2.1.3.1. */
  inclusionPath(index: number, size = this.size): Buffer[] {
    this.check(size);
    if (index < 0 || index >= size)
      throw new RangeError(`leaf ${index} is not in a tree of ${size}`);
    return this.path(index, 0, size);
  }

  /** PROOF(m, D[0:size]), RFC 9162 §2.1.4.1. */
  consistencyPath(from: number, to = this.size): Buffer[] {
    this.check(to);
    if (from < 0 || from > to) throw new RangeError(`${from} is not a size up to ${to}`);
    if (from === 0 || from === to) return [];
    return this.subproof(from, 0, to, true);
  }

  private check(size: number): void {
    if (!Number.isInteger(size) || size < 0 || size > this.size)
      throw new RangeError(`the log holds ${this.size} entries, not ${size}`);
  }

  /** MTH(D[start:end]). */
  private hash(start: number, end: number): Buffer {
    const n = end - start;
    if (n === 1) return this.leaves[start]!;
    const aligned = (n & (n - 1)) === 0 && start % n === 0;
    const key = `${start}:${n}`;
    if (aligned) {
      const kept = this.complete.get(key);
      if (kept) return kept;
    }
    const k = split(n);
    const hash = nodeHash(this.hash(start, start + k), this.hash(start + k, end));
    if (aligned) this.complete.set(key, hash);
    return hash;
  }

  private path(m: number, start: number, end: number): Buffer[] {
    const n = end - start;
    if (n === 1) return [];
    const k = split(n);
    return m < k
      ? [...this.path(m, start, start + k), this.hash(start + k, end)]
      : [...this.path(m - k, start + k, end), this.hash(start, start + k)];
  }

  private subproof(m: number, start: number, end: number, whole: boolean): Buffer[] {
    const n = end - start;
    if (m === n) return whole ? [] : [this.hash(start, end)];
    const k = split(n);
    return m <= k
      ? [...this.subproof(m, start, start + k, whole), this.hash(start + k, end)]
      : [...this.subproof(m - k, start + k, end, false), this.hash(start, start + k)];
  }
}

/** RFC 9162 §2.1.3.2: does `path` prove `leaf` at `index` in the tree of `size` with `root`? */
export function verifyInclusion(
  index: number,
  size: number,
  leaf: Buffer,
  path: Buffer[],
  root: Buffer,
): boolean {
  if (index < 0 || index >= size || leaf.length !== 32) return false;
  let fn = index;
  let sn = size - 1;
  let r = leaf;
  for (const p of path) {
    if (sn === 0 || p.length !== 32) return false;
    if (fn % 2 === 1 || fn === sn) {
      r = nodeHash(p, r);
      while (fn % 2 === 0 && fn !== 0) {
        fn = Math.floor(fn / 2);
        sn = Math.floor(sn / 2);
      }
    } else {
      r = nodeHash(r, p);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  return sn === 0 && r.equals(root);
}

/** RFC 9162 §2.1.4.2: does `path` prove the tree of `to` with `toRoot` extends that of `from`? */
export function verifyConsistency(
  from: number,
  to: number,
  fromRoot: Buffer,
  toRoot: Buffer,
  path: Buffer[],
): boolean {
  if (from < 0 || from > to) return false;
  if (from === to) return path.length === 0 && fromRoot.equals(toRoot);
  if (from === 0) return path.length === 0;
  if (path.length === 0 || path.some((p) => p.length !== 32)) return false;
  const steps = (from & (from - 1)) === 0 ? [fromRoot, ...path] : path;
  let fn = from - 1;
  let sn = to - 1;
  while (fn % 2 === 1) {
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  let fr = steps[0]!;
  let sr = steps[0]!;
  for (const c of steps.slice(1)) {
    if (sn === 0) return false;
    if (fn % 2 === 1 || fn === sn) {
      fr = nodeHash(c, fr);
      sr = nodeHash(c, sr);
      while (fn % 2 === 0 && fn !== 0) {
        fn = Math.floor(fn / 2);
        sn = Math.floor(sn / 2);
      }
    } else {
      sr = nodeHash(sr, c);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  return sn === 0 && fr.equals(fromRoot) && sr.equals(toRoot);
}
