import { Injectable } from '@nestjs/common';
import DataLoader from 'dataloader';
import { InjectDataSource } from '@nestjs/typeorm';
import { provenancePath } from '@huuco/domain';
import type { Pool } from 'pg';
import type { DataSource } from 'typeorm';
import { LabelSigner } from './label-signer.js';
import type { ProvenanceDocument } from './provenance.document.js';
import { provenanceRepository, type PageVersion } from './provenance.repository.js';
import { ScanLog } from './scan-log.js';

export type NotGenuineReason =
  'UNSIGNED' | 'UNKNOWN_KEY' | 'BAD_SIGNATURE' | 'UNKNOWN_CODE' | 'GTIN_MISMATCH';

export type ProvenanceAnswer =
  | { genuine: true; document: ProvenanceDocument; scanWarning: boolean }
  | { genuine: false; reason: NotGenuineReason };

/**
 * A page this process holds: the stored document as JSON text at one version of its row, and
 * the answers made from it, so a campaign's thousand scans of one label cost one render.
 */
export interface HeldPage {
  version: string;
  lotId: string;
  gtin: string | null;
  documentJson: string;
  scanWarning: boolean;
  /** Answers made from it (pages by language, address and day; its JSON), and gzipped. */
  rendered: Map<string, Buffer>;
  compressed: Map<string, Buffer>;
}

/** The answer as stored: the document still as JSON text, parsed only when a page is rendered. */
export type StoredAnswer =
  { genuine: true; held: HeldPage } | { genuine: false; reason: NotGenuineReason };

/** Page reads a process has on their way at once; more scans wait for the next. */
const READS_IN_FLIGHT = 2;

/** How many pages a process holds: a campaign's few hundred lots, with room to spare. */
const HELD_PAGES = 2_000;

export interface ScanRequest {
  code: string;
  gtin: string | null;
  keyId: string | undefined;
  signature: string | undefined;
  ip: string;
  userAgent: string | undefined;
}

/** Answers a scan with one indexed read; a code that is not what huuco printed is never given a story. */
@Injectable()
export class ProvenanceService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly signer: LabelSigner,
    private readonly scans: ScanLog,
  ) {}

  /** node-postgres' own pool under TypeORM: one read per scan, without a query runner around it. */
  private get pool(): Pool {
    return (this.db.driver as unknown as { master: Pool }).master;
  }

  /** The lot's stored page for its links, if the address names one: no scan is counted. */
  async described(code: string, gtin: string | null): Promise<ProvenanceDocument | null> {
    const row = await provenanceRepository.page(this.pool, code);
    if (!row || (row.gtin?.trim() ?? null) !== gtin) return null;
    return JSON.parse(row.document) as ProvenanceDocument;
  }

  /**
   * Pages held in this process, most recently scanned last. Each scan still asks the database
   * for the row's version, so a page is never served older than the last write that answered,
   * from whichever process; only the document's transfer and rendering are saved.
   */
  private readonly held = new Map<string, HeldPage>();

  /**
   * Scans that arrive together share one read: they are gathered until the event loop has
   * taken every request it has (setImmediate), then asked for in one query — and while
   * READS_IN_FLIGHT reads are already on their way, the next one keeps gathering until one
   * returns, so under load each query answers many scans. Each read is sent after every scan
   * it answers arrived, so none is answered from before a write it followed.
   */
  private readonly reads = new DataLoader<string, PageVersion | null>(
    async (codes) => {
      this.readsInFlight++;
      try {
        const rows = await provenanceRepository.pagesUnlessHeld(
          this.pool,
          codes,
          codes.map((code) => this.held.get(code)?.version ?? ''),
        );
        return codes.map((code) => rows.get(code) ?? null);
      } finally {
        this.readsInFlight--;
        this.readsWaiting.shift()?.();
      }
    },
    {
      cache: false,
      maxBatchSize: 500,
      batchScheduleFn: (send) =>
        setImmediate(() =>
          this.readsInFlight < READS_IN_FLIGHT ? send() : this.readsWaiting.push(send),
        ),
    },
  );
  private readsInFlight = 0;
  private readonly readsWaiting: (() => void)[] = [];

  private async current(code: string): Promise<HeldPage | null> {
    let row = await this.reads.load(code);
    if (!row) {
      this.held.delete(code);
      return null;
    }
    const kept = this.held.get(code);
    if (kept?.version === row.version) {
      // Most recently scanned last.
      this.held.delete(code);
      this.held.set(code, kept);
      return kept;
    }
    if (row.document === null) {
      // Held at another version than the read found current (reads answered out of order):
      // read this one whole.
      row = (await provenanceRepository.pagesUnlessHeld(this.pool, [code], [''])).get(code) ?? null;
      if (!row) return null;
    }
    const page: HeldPage = {
      version: row.version,
      lotId: row.lot_id,
      gtin: row.gtin?.trim() ?? null,
      documentJson: row.document!,
      scanWarning: row.scan_warning,
      rendered: new Map<string, Buffer>(),
      compressed: new Map<string, Buffer>(),
    };
    this.held.delete(code);
    this.held.set(code, page);
    if (this.held.size > HELD_PAGES) this.held.delete(this.held.keys().next().value!);
    return page;
  }

  async answer(scan: ScanRequest): Promise<StoredAnswer> {
    const page = await this.current(scan.code);
    if (!page) return { genuine: false, reason: 'UNKNOWN_CODE' };
    const verdict = this.signer.verify(
      provenancePath(scan.code, scan.gtin),
      scan.keyId,
      scan.signature,
    );
    const gtinMatches = page.gtin === scan.gtin;
    this.scans.record(page.lotId, scan.ip, scan.userAgent, verdict.genuine && gtinMatches);
    if (!verdict.genuine) return { genuine: false, reason: verdict.reason };
    if (!gtinMatches) return { genuine: false, reason: 'GTIN_MISMATCH' };
    return { genuine: true, held: page };
  }
}
