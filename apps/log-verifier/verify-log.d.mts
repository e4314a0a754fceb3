export interface VerifierKey {
  name: string;
  keyHash: Buffer;
  publicKey: Buffer;
}
export interface Checkpoint {
  origin: string;
  size: number;
  root: Buffer;
}
export function parseVerifierKey(vkey: string): VerifierKey;
export function openCheckpoint(note: string, key: VerifierKey): Checkpoint;
export function verifyConsistency(
  from: number,
  to: number,
  fromRoot: Buffer,
  toRoot: Buffer,
  path: Buffer[],
): boolean;
export function verifyInclusion(
  index: number,
  size: number,
  leaf: Buffer,
  path: Buffer[],
  root: Buffer,
): boolean;
export function verifyLog(options: {
  savedNote: string;
  url: string;
  verifierKey?: string;
}): Promise<{ ok: boolean; message: string; latestNote?: string }>;
export function newWitness(name: string): { seed: string; verifierKey: string };
export function cosignatureLine(note: string, name: string, seed: Buffer, time?: bigint): string;
export function cosign(options: {
  url: string;
  note: string;
  name: string;
  seed: Buffer;
}): Promise<{ witness: string; treeSize: number }>;
export function witnessVerifierKey(name: string, seed: Buffer): string;
export interface LotLog {
  checkpoint: { size: number; note: string } | null;
  events: { eventID: string; leafIndex: number }[];
  pending: unknown[];
}
export interface InclusionProof {
  leafIndex: number;
  treeSize: number;
  entry: string;
  leafHash: string;
  auditPath: string[];
}
export function verifyLotLog(
  log: LotLog,
  proofs: InclusionProof[],
  key: VerifierKey,
): { ok: boolean; message: string; checkpoint?: Checkpoint };
export function lotLogProofs(base: string, log: LotLog): Promise<InclusionProof[]>;
export function verifyLot(options: {
  lotUrl: string;
  verifierKey?: string;
}): Promise<{ ok: boolean; message: string }>;
