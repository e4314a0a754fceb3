import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
// The outsiders' verifier: what the server signs, it must open.
// eslint-disable-next-line @nx/enforce-module-boundaries
import { openCheckpoint, parseVerifierKey } from '../../log-verifier/verify-log.mjs';
import {
  checkpointText,
  NoteSigner,
  openNote,
  parseCheckpoint,
} from '../src/trace/log/signed-note.js';

const root = Buffer.alloc(32, 7);

describe('checkpoints as signed notes', () => {
  it('are opened by the standalone verifier with the published verifier key, whatever its bytes', () => {
    // Base64 keys often hold '+', the verifier key's separator: try until one does.
    let signer = new NoteSigner('truyxuat.example.vn/log', randomBytes(32));
    while (!signer.verifierKey.split('+').slice(2).join('+').includes('+'))
      signer = new NoteSigner('truyxuat.example.vn/log', randomBytes(32));
    const note = signer.sign(checkpointText({ origin: signer.keyName, size: 42, root }));
    expect(note).toMatch(
      /^truyxuat\.example\.vn\/log\n42\n[A-Za-z0-9+/=]{44}\n\n— truyxuat\.example\.vn\/log /,
    );
    const opened = openCheckpoint(note, parseVerifierKey(signer.verifierKey));
    expect(opened).toEqual({ origin: 'truyxuat.example.vn/log', size: 42, root });
  });

  it('refuse a changed size, a changed root, or another key', () => {
    const signer = new NoteSigner('huuco/log', randomBytes(32));
    const other = new NoteSigner('huuco/log', randomBytes(32));
    const note = signer.sign(checkpointText({ origin: 'huuco/log', size: 42, root }));
    const key = parseVerifierKey(signer.verifierKey);
    expect(() => openCheckpoint(note.replace('\n42\n', '\n43\n'), key)).toThrow(/not signed/);
    expect(() => openCheckpoint(note, parseVerifierKey(other.verifierKey))).toThrow(/not signed/);
    expect(openNote(note, 'huuco/log', signer.publicKey).signed).toBe(true);
    expect(openNote(note, 'huuco/log', other.publicKey).signed).toBe(false);
    expect(parseCheckpoint(openNote(note, 'huuco/log', signer.publicKey).text)).toEqual({
      origin: 'huuco/log',
      size: 42,
      root,
    });
  });
});
