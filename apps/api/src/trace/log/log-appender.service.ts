import {
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { AppConfig } from '../../platform/config/app-config.js';
import { EventStore } from '../events/event-store.js';
import { ProvenanceBuilder } from '../provenance/provenance.builder.js';
import { logEntry } from './log-entry.js';
import { LogTree } from './log-tree.service.js';
import { logRepository } from './log.repository.js';
import { leafHash } from './merkle.js';
import { openCosignature, openNote, parseWitnessKey } from './signed-note.js';
import { fieldError } from '../../platform/http/domain-error.js';

const BATCH = 2_000;
/** Pages a batch rebuilds in its own transaction; past this, it notes them in the backlog. */
const PAGES_IN_BATCH = 200;
/** Noted pages rebuilt per transaction, so requests get the database in between. */
const PAGES_PER_STEP = 50;

/**
 * Appends recorded events to the transparency log in batches, off the request path. Each batch
 * is one transaction: its leaves, the checkpoint signed over the new tree, and the pages of the
 * lots whose events it logged, rebuilt with their proofs. Events join in the order the batch
 * finds them committed: by sequence number, a late commit in the next batch.
 *
 * A batch that reaches more pages than it should rebuild at once (the first run on an install
 * whose events predate the log) notes them in the backlog instead; they are then rebuilt a few
 * per transaction, by whichever process gets to them.
 */
@Injectable()
export class LogAppender implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('TransparencyLog');
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<number> | null = null;

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly config: AppConfig,
    private readonly events: EventStore,
    private readonly tree: LogTree,
    private readonly provenance: ProvenanceBuilder,
  ) {}

  onApplicationBootstrap(): void {
    if (this.config.logAppendIntervalMs === 0) return;
    this.timer = setInterval(() => {
      void this.appendPending().catch((error: Error) =>
        this.logger.error(`append: ${error.message}`),
      );
    }, this.config.logAppendIntervalMs);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.running?.catch(() => undefined);
  }

  /** Logs every event not yet in the log; answers how many joined. One run at a time. */
  appendPending(): Promise<number> {
    this.running ??= this.drain().finally(() => {
      this.running = null;
    });
    return this.running;
  }

  /**
   * A witness's cosignature of a checkpoint (C2SP tlog-cosignature), from a configured witness
   * key: kept, shown with the checkpoint and on the pages that hold against it.
   */
  async acceptCosignature(
    size: number,
    line: string,
  ): Promise<{ witness: string; treeSize: number }> {
    const witnesses = this.config.witnessKeys.map(parseWitnessKey);
    return this.db.transaction(async (manager) => {
      const row = await logRepository.checkpointFrom(manager, size);
      if (!row || Number(row.tree_size) !== size)
        throw fieldError('NOT_FOUND', 'treeSize', 'No checkpoint of this size was signed.');
      const text = openNote(row.note, this.tree.signer.keyName, this.tree.signer.publicKey).text;
      const opened = openCosignature(line, text, witnesses);
      if (!opened) {
        throw fieldError(
          'COSIGNATURE_INVALID',
          'signature',
          'Not a cosignature of this checkpoint by a witness this log knows.',
        );
      }
      const signedAt = new Date(Number(opened.time) * 1000);
      if (
        await logRepository.insertCosignature(manager, size, opened.witness, line.trim(), signedAt)
      )
        await this.rebuildPages(manager, await logRepository.pagesHolding(manager, size));
      return { witness: opened.witness, treeSize: size };
    });
  }

  private async drain(): Promise<number> {
    let total = 0;
    for (;;) {
      const added = await this.appendBatch();
      total += added;
      if (added < BATCH) break;
    }
    while (await this.rebuildNotedPages()) {
      // A step at a time until the backlog is empty, or held only by pages being written.
    }
    return total;
  }

  /**
   * Rebuilds a few pages from the backlog; answers whether it rebuilt any. It holds the appends'
   * lock: a batch notes pages in the backlog while this step takes them off it, and the two,
   * each waiting on the other's backlog rows and pages, would deadlock (seen seeding the demo
   * on the server database).
   */
  private rebuildNotedPages(): Promise<boolean> {
    return this.db.transaction(async (manager) => {
      await logRepository.lockAppends(manager);
      const lotIds = await logRepository.takeNotedPages(manager, PAGES_PER_STEP);
      return (await this.rebuildPages(manager, lotIds)) > 0;
    });
  }

  /**
   * Rebuilds the pages no writer holds right now, and notes the others for the next step: the
   * appender never waits on a page, so it never deadlocks with a writer rebuilding pages in
   * another order. Answers how many it rebuilt.
   */
  private async rebuildPages(manager: EntityManager, lotIds: string[]): Promise<number> {
    if (!lotIds.length) return 0;
    const free = await logRepository.lockFreePages(manager, lotIds);
    for (const lotId of free) await this.provenance.rebuild(manager, lotId);
    const held = lotIds.filter((id) => !free.includes(id));
    if (held.length) await logRepository.notePages(manager, held);
    return free.length;
  }

  private async appendBatch(): Promise<number> {
    try {
      return await this.db.transaction(async (manager) => {
        await logRepository.lockAppends(manager);
        const size = await logRepository.size(manager);
        const pending = await this.events.unlogged(
          manager,
          await logRepository.lastSeq(manager),
          BATCH,
        );
        if (!pending.length) return 0;
        const leaves = pending.map((event, i) => {
          const entry = logEntry(event);
          return {
            index: size + i,
            seq: event.seq,
            entry,
            hash: leafHash(Buffer.from(entry, 'utf8')).toString('hex'),
          };
        });
        await logRepository.insertLeaves(manager, leaves);
        const tree = await this.tree.sync(manager);
        const newSize = size + leaves.length;
        const root = tree.root(newSize);
        await logRepository.insertCheckpoint(
          manager,
          newSize,
          root.toString('hex'),
          this.tree.sign(newSize, root),
        );
        const subjects = [...new Set(pending.flatMap((e) => e.lotIds))];
        const pages = await logRepository.pagesShowing(manager, subjects);
        if (pages.length > PAGES_IN_BATCH) await logRepository.notePages(manager, pages);
        else await this.rebuildPages(manager, pages);
        return leaves.length;
      });
    } catch (error) {
      // The tree may have read this batch's leaves; they did not commit.
      this.tree.forget();
      throw error;
    }
  }
}
