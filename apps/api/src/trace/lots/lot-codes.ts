import { randomInt } from 'node:crypto';
import QRCode from 'qrcode';

const ALPHABET = '23456789ABCDEFGHJKLMNPQRSTUVWXYZ';
const PROCESS_LETTER = { aggregation: 'A', drying: 'D', milling: 'M', packing: 'P' } as const;

/** Picks an index below `n`: cryptographic by default, seeded for a reproducible demo. */
export type Pick = (n: number) => number;

/** `25M-7KQ3MZ`: year, process, and six characters nobody misreads (no 0/O, 1/I). */
export function newLotCode(
  process: keyof typeof PROCESS_LETTER,
  on: string,
  pick: Pick = randomInt,
): string {
  let tail = '';
  for (let i = 0; i < 6; i++) tail += ALPHABET[pick(ALPHABET.length)];
  return `${on.slice(2, 4)}${PROCESS_LETTER[process]}-${tail}`;
}

/** Error correction M survives a scuffed bag; SVG costs under a millisecond, so it is made with the lot. */
export function qrSvg(url: string): Promise<string> {
  return QRCode.toString(url, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 });
}

export function qrPng(url: string): Promise<Buffer> {
  return QRCode.toBuffer(url, { type: 'png', errorCorrectionLevel: 'M', margin: 2, width: 480 });
}
