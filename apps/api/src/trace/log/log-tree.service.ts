import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { AppConfig } from '../../platform/config/app-config.js';
import { Secrets } from '../../platform/config/secrets.js';
import { fieldError } from '../../platform/http/domain-error.js';
import { logRepository, type CheckpointRow } from './log.repository.js';
import { MerkleTree } from './merkle.js';
import { checkpointText, NoteSigner } from './signed-note.js';

export interface InclusionProof {
  leafIndex: number;
  treeSize: number;
  /** The leaf's content: `leafHash` is SHA-256(0x00 ‖ entry), and it names the event. */
  entry: string;
  leafHash: string;
  auditPath: string[];
}

export interface ConsistencyProof {
  from: number;
  to: number;
  consistencyPath: string[];
}

/**
 * What a lot's page says of its events in the log: where each is, in the tree of one signed
 * checkpoint. Each event's entry and inclusion proof against that checkpoint are one request
 * away (`GET /log/proof/inclusion?event=…&size=…`): carried in the page they were two thirds
 * of its JSON, for the few who check.
 */
export interface PageLog {
  checkpoint: { size: number; note: string; witnesses: string[] } | null;
  events: { eventID: string; leafIndex: number }[];
  /** Events recorded but not yet in the log: they join it within seconds. */
  pending: string[];
}

/**
 * The log as outsiders read it: checkpoints, the key, proofs. Leaves never change once logged,
 * so each process keeps their hashes in memory and reads only the ones appended since.
 */
@Injectable()
export class LogTree {
  readonly signer: NoteSigner;
  private tree = new MerkleTree();

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    config: AppConfig,
    secrets: Secrets,
  ) {
    this.signer = new NoteSigner(config.logOrigin, secrets.logSigningKey);
  }

  get origin(): string {
    return this.signer.keyName;
  }

  /** Reads the leaves appended since; inside a transaction pass its manager. */
  async sync(manager: EntityManager = this.db.manager): Promise<MerkleTree> {
    const hashes = await logRepository.leafHashes(manager, this.tree.size);
    this.tree.append(hashes.map((h) => Buffer.from(h, 'hex')));
    return this.tree;
  }

  /** After a batch that did not commit: its leaves may have been read, so read all again. */
  forget(): void {
    this.tree = new MerkleTree();
  }

  /** The checkpoint of a size, or the latest; the empty log's is signed on the spot. */
  async checkpoint(size?: number): Promise<string> {
    if (size === undefined) {
      const latest = await logRepository.latestCheckpoint(this.db.manager);
      if (!latest) return this.sign(0, (await this.sync()).root(0));
      return this.withCosignatures(latest.note, Number(latest.tree_size));
    }
    const row = await logRepository.checkpointFrom(this.db.manager, size);
    if (!row || Number(row.tree_size) !== size) {
      if (size === 0) return this.sign(0, (await this.sync()).root(0));
      throw fieldError('NOT_FOUND', 'size', 'No checkpoint of this size was signed.');
    }
    return this.withCosignatures(row.note, size);
  }

  /** The note with the cosignatures witnesses sent for it: one signed note, several signers. */
  private async withCosignatures(note: string, size: number): Promise<string> {
    const lines = await logRepository.cosignatures(this.db.manager, size);
    return note + lines.map((l) => `${l.signature_line}\n`).join('');
  }

  sign(size: number, root: Buffer): string {
    return this.signer.sign(checkpointText({ origin: this.origin, size, root }));
  }

  async inclusion(eventId: string, size?: number): Promise<InclusionProof> {
    const leaf = await logRepository.leafOfEvent(this.db.manager, eventId);
    if (!leaf) throw fieldError('NOT_FOUND', 'event', 'No event with this ID is in the log yet.');
    const tree = await this.sync();
    const treeSize = size ?? (await this.latestSize());
    const index = Number(leaf.leaf_index);
    this.assertSize('size', treeSize, tree);
    if (index >= treeSize)
      throw fieldError('VALIDATION_FAILED', 'size', `The event joined the log at ${index + 1}.`, {
        leafIndex: index,
      });
    return {
      leafIndex: index,
      treeSize,
      entry: leaf.entry,
      leafHash: leaf.leaf_hash,
      auditPath: tree.inclusionPath(index, treeSize).map((h) => h.toString('hex')),
    };
  }

  async consistency(from: number, to?: number): Promise<ConsistencyProof> {
    const tree = await this.sync();
    const end = to ?? (await this.latestSize());
    this.assertSize('to', end, tree);
    if (from > end) throw fieldError('VALIDATION_FAILED', 'from', 'Must not be above `to`.');
    return {
      from,
      to: end,
      consistencyPath: tree.consistencyPath(from, end).map((h) => h.toString('hex')),
    };
  }

  /**
   * The page's events and their places in the log, against the first checkpoint that holds all
   * of those logged: the same answer whenever the page is built, until an event joins the log.
   */
  async forPage(manager: EntityManager, subjectIds: string[]): Promise<PageLog> {
    const events = await logRepository.eventsAbout(manager, subjectIds);
    const logged = events.filter((e) => e.leaf_index !== null);
    const pending = events.filter((e) => e.leaf_index === null).map((e) => e.event_id);
    if (!logged.length) return { checkpoint: null, events: [], pending };
    const last = Math.max(...logged.map((e) => Number(e.leaf_index)));
    const checkpoint = (await logRepository.checkpointFrom(manager, last + 1)) as CheckpointRow;
    const size = Number(checkpoint.tree_size);
    return {
      checkpoint: {
        size,
        note: checkpoint.note,
        witnesses: (await logRepository.cosignatures(manager, size)).map((c) => c.witness),
      },
      events: logged.map((e) => ({ eventID: e.event_id, leafIndex: Number(e.leaf_index) })),
      pending,
    };
  }

  private async latestSize(): Promise<number> {
    const latest = await logRepository.latestCheckpoint(this.db.manager);
    return latest ? Number(latest.tree_size) : 0;
  }

  private assertSize(path: string, size: number, tree: MerkleTree): void {
    if (size > tree.size)
      throw fieldError('VALIDATION_FAILED', path, `The log holds ${tree.size} entries.`, {
        treeSize: tree.size,
      });
  }
}
