import { describe, expect, it } from 'vitest';
import { leafHash, MerkleTree, verifyConsistency, verifyInclusion } from './merkle.js';

/** The reference vectors of transparency-dev/merkle (RFC 6962 / 9162 hashing). */
const LEAVES = [
  '',
  '00',
  '10',
  '2021',
  '3031',
  '40414243',
  '5051525354555657',
  '606162636465666768696a6b6c6d6e6f',
].map((hex) => Buffer.from(hex, 'hex'));
const ROOTS = [
  'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
  '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d',
  'fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125',
  'aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77',
  'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
  '4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4',
  '76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef',
  'ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c',
  '5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328',
];
/** [leaf index, tree size, path] */
const INCLUSION: [number, number, string[]][] = [
  [0, 1, []],
  [
    0,
    8,
    [
      '96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7',
      '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e',
      '6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4',
    ],
  ],
  [
    5,
    8,
    [
      'bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b',
      'ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0',
      'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
    ],
  ],
  [2, 3, ['fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125']],
  [
    1,
    5,
    [
      '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d',
      '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e',
      'bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b',
    ],
  ],
];
/** [from, to, path] */
const CONSISTENCY: [number, number, string[]][] = [
  [1, 1, []],
  [
    1,
    8,
    [
      '96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7',
      '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e',
      '6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4',
    ],
  ],
  [
    6,
    8,
    [
      '0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a',
      'ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0',
      'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
    ],
  ],
  [
    2,
    5,
    [
      '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e',
      'bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b',
    ],
  ],
  [
    6,
    7,
    [
      '0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a',
      'b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f',
      'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
    ],
  ],
];

const hex = (hashes: Buffer[]) => hashes.map((h) => h.toString('hex'));
const bytes = (hashes: string[]) => hashes.map((h) => Buffer.from(h, 'hex'));
const tree = () => new MerkleTree(LEAVES.map(leafHash));

describe('the transparency log’s Merkle tree', () => {
  it('has the reference root at every size', () => {
    const t = tree();
    expect(ROOTS.map((_, size) => t.root(size).toString('hex'))).toEqual(ROOTS);
  });

  it('gives the reference inclusion paths, and they verify', () => {
    const t = tree();
    for (const [index, size, path] of INCLUSION) {
      expect(hex(t.inclusionPath(index, size)), `${index} in ${size}`).toEqual(path);
      const root = Buffer.from(ROOTS[size]!, 'hex');
      expect(verifyInclusion(index, size, t.leaf(index), bytes(path), root)).toBe(true);
    }
  });

  it('gives the reference consistency paths, and they verify', () => {
    const t = tree();
    for (const [from, to, path] of CONSISTENCY) {
      expect(hex(t.consistencyPath(from, to)), `${from} → ${to}`).toEqual(path);
      const roots = [from, to].map((size) => Buffer.from(ROOTS[size]!, 'hex')) as [Buffer, Buffer];
      expect(verifyConsistency(from, to, ...roots, bytes(path))).toBe(true);
    }
  });

  it('refuses every proof that is off by one index, size, bit or step', () => {
    const t = tree();
    for (const [index, size, path] of INCLUSION.filter(([, , p]) => p.length > 0)) {
      const root = Buffer.from(ROOTS[size]!, 'hex');
      const leaf = t.leaf(index);
      const proof = bytes(path);
      const flipped = proof.map((p, i) =>
        i === 0 ? Buffer.from(p.map((b, j) => (j === 0 ? b ^ 8 : b))) : p,
      );
      for (const [what, ok] of [
        ['index − 1', verifyInclusion(index - 1, size, leaf, proof, root)],
        ['index + 1', verifyInclusion(index + 1, size, leaf, proof, root)],
        ['size × 2', verifyInclusion(index, size * 2, leaf, proof, root)],
        ['flipped bit', verifyInclusion(index, size, leaf, flipped, root)],
        ['removed step', verifyInclusion(index, size, leaf, proof.slice(0, -1), root)],
        ['trailing root', verifyInclusion(index, size, leaf, [...proof, root], root)],
        ['preceding root', verifyInclusion(index, size, leaf, [root, ...proof], root)],
      ] as const) {
        expect(ok, `${index} in ${size}: ${what}`).toBe(false);
      }
    }
    for (const [from, to, path] of CONSISTENCY.filter(([f, t2]) => f !== t2)) {
      const [a, b] = [from, to].map((size) => Buffer.from(ROOTS[size]!, 'hex')) as [Buffer, Buffer];
      const proof = bytes(path);
      expect(verifyConsistency(from, to, b, a, proof), `${from} → ${to} swapped roots`).toBe(false);
      expect(verifyConsistency(from, to, a, b, proof.slice(1)), `${from} → ${to} short`).toBe(
        false,
      );
      expect(verifyConsistency(from - 1 || 2, to, a, b, proof), `${from} → ${to} size`).toBe(false);
    }
  });

  it('agrees with itself on a larger tree: every path of every size verifies', () => {
    const leaves = Array.from({ length: 37 }, (_, i) => leafHash(Buffer.from(`entry ${i}`)));
    const t = new MerkleTree(leaves);
    for (let size = 1; size <= 37; size++) {
      const root = t.root(size);
      for (let index = 0; index < size; index++)
        expect(
          verifyInclusion(index, size, leaves[index]!, t.inclusionPath(index, size), root),
        ).toBe(true);
      for (let from = 1; from <= size; from++)
        expect(
          verifyConsistency(from, size, t.root(from), root, t.consistencyPath(from, size)),
        ).toBe(true);
    }
  });
});
