import { Injectable } from '@nestjs/common';
import DataLoader from 'dataloader';
import { InjectDataSource } from '@nestjs/typeorm';
import { provenancePath } from '@huuco/domain';
import type { Pool } from 'pg';
import type { DataSource } from 'typeorm';
import { AppConfig } from '../../platform/config/app-config.js';
import { HeldPages, type HeldPage } from './held-pages.js';
import { LabelSigner } from './label-signer.js';
import type { ProvenanceDocument } from './provenance.document.js';
import { storedProvenancePage } from './provenance.page.js';
import { provenanceRepository, type PageForm, type PageVersion } from './provenance.repository.js';
import { ScanLog } from './scan-log.js';

export type NotGenuineReason =
  'UNSIGNED' | 'UNKNOWN_KEY' | 'BAD_SIGNATURE' | 'UNKNOWN_CODE' | 'GTIN_MISMATCH';

export type ProvenanceAnswer =
  | { genuine: true; document: ProvenanceDocument; scanWarning: boolean }
  | { genuine: false; reason: NotGenuineReason };

/**
 * The answer as stored: the page held, and what was read of it when the page holds no answer
 * under the scan's key yet (the stored page or the document, ready to fill in and send).
 */
export type StoredAnswer =
  | { genuine: true; held: HeldPage; content: Buffer | undefined }
  | { genuine: false; reason: NotGenuineReason };

/** Page reads a process has on their way at once; more scans wait for the next. */
const READS_IN_FLIGHT = 2;

type PageRead = Pick<ScanRequest, 'code' | 'form' | 'answerKey'>;

export interface ScanRequest {
  code: string;
  gtin: string | null;
  /** What the scan is answered with: the page in a language, or the JSON. */
  form: PageForm;
  /** The answer's key: a held page answers it without reading the page again. */
  answerKey: string;
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
    config: AppConfig,
  ) {
    this.held = new HeldPages(config.pageMemoryMb * 1024 * 1024);
  }

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
  readonly held: HeldPages;

  /**
   * Scans that arrive together share one read: they are gathered until the event loop has
   * taken every request it has (setImmediate), then asked for in one query — and while
   * READS_IN_FLIGHT reads are already on their way, the next one keeps gathering until one
   * returns, so under load each query answers many scans. Each read is sent after every scan
   * it answers arrived, so none is answered from before a write it followed.
   */
  private readonly reads = new DataLoader<PageRead, PageVersion | null>(
    async (keys) => {
      this.readsInFlight++;
      try {
        const rows = await provenanceRepository.pagesUnlessHeld(
          this.pool,
          keys.map((key) => key.code),
          keys.map((key) => key.form),
          keys.map((key) => this.heldWith(key)?.version ?? ''),
        );
        return keys.map((_, i) => rows[i] ?? null);
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

  private heldWith(read: PageRead): HeldPage | undefined {
    const kept = this.held.get(read.code);
    return kept?.answer(read.answerKey) ? kept : undefined;
  }

  private async current(
    read: PageRead,
  ): Promise<{ page: HeldPage; content: Buffer | undefined } | null> {
    const { code, form } = read;
    let row = await this.reads.load(read);
    if (!row) {
      this.held.delete(code);
      return null;
    }
    const kept = this.held.get(code);
    if (row.content === null && !(kept?.version === row.version && kept.answer(read.answerKey))) {
      // No longer held as the read found it current (reads answered out of order, or the page
      // let go meanwhile): read this one whole.
      row =
        (await provenanceRepository.pagesUnlessHeld(this.pool, [code], [form], ['']))[0] ?? null;
      if (!row) return null;
    }
    const page =
      kept?.version === row.version
        ? kept
        : this.held.create(code, {
            version: row.version,
            lotId: row.lot_id,
            gtin: row.gtin?.trim() ?? null,
            scanWarning: row.scan_warning,
          });
    const content =
      row.content === null
        ? undefined
        : row.is_document && form !== 'json'
          ? Buffer.from(
              storedProvenancePage(JSON.parse(row.content.toString()) as ProvenanceDocument, form),
            )
          : row.content;
    this.held.scanned(page);
    return { page, content };
  }

  async answer(scan: ScanRequest): Promise<StoredAnswer> {
    const current = await this.current(scan);
    if (!current) return { genuine: false, reason: 'UNKNOWN_CODE' };
    const { page, content } = current;
    const verdict = this.signer.verify(
      provenancePath(scan.code, scan.gtin),
      scan.keyId,
      scan.signature,
    );
    const gtinMatches = page.gtin === scan.gtin;
    this.scans.record(page.lotId, scan.ip, scan.userAgent, verdict.genuine && gtinMatches);
    if (!verdict.genuine) return { genuine: false, reason: verdict.reason };
    if (!gtinMatches) return { genuine: false, reason: 'GTIN_MISMATCH' };
    return { genuine: true, held: page, content };
  }
}
