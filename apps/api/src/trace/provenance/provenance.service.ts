import { Injectable } from '@nestjs/common';
import DataLoader from 'dataloader';
import { InjectDataSource } from '@nestjs/typeorm';
import { provenancePath } from '@huuco/domain';
import type { Pool } from 'pg';
import type { DataSource } from 'typeorm';
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
 * A page this process holds at one version of its row: what it has read of it (the stored page
 * per language, the document as JSON text) and the answers made from those, so a campaign's
 * thousand scans of one label cost one render.
 */
export interface HeldPage {
  version: string;
  lotId: string;
  gtin: string | null;
  scanWarning: boolean;
  /** The stored page per language and the document (`json`), as read so far, in UTF-8. */
  forms: Map<PageForm, Buffer>;
  /** Answers made from it (pages by language, address and day; its JSON), and gzipped. */
  rendered: Map<string, Buffer>;
  compressed: Map<string, Buffer>;
}

/** The answer as stored: the page or document as read, ready to fill in and send. */
export type StoredAnswer =
  { genuine: true; held: HeldPage; content: Buffer } | { genuine: false; reason: NotGenuineReason };

/** Page reads a process has on their way at once; more scans wait for the next. */
const READS_IN_FLIGHT = 2;

/** How many pages a process holds: a campaign's few hundred lots, with room to spare. */
const HELD_PAGES = 2_000;

export interface ScanRequest {
  code: string;
  gtin: string | null;
  /** What the scan is answered with: the page in a language, or the JSON. */
  form: PageForm;
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
  private readonly reads = new DataLoader<{ code: string; form: PageForm }, PageVersion | null>(
    async (keys) => {
      this.readsInFlight++;
      try {
        const rows = await provenanceRepository.pagesUnlessHeld(
          this.pool,
          keys.map((key) => key.code),
          keys.map((key) => key.form),
          keys.map((key) => this.heldWith(key.code, key.form)?.version ?? ''),
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

  private heldWith(code: string, form: PageForm): HeldPage | undefined {
    const kept = this.held.get(code);
    return kept?.forms.has(form) ? kept : undefined;
  }

  private async current(code: string, form: PageForm): Promise<HeldPage | null> {
    let row = await this.reads.load({ code, form });
    if (!row) {
      this.held.delete(code);
      return null;
    }
    const kept = this.held.get(code);
    if (row.content === null && !(kept?.version === row.version && kept.forms.has(form))) {
      // No longer held as the read found it current (reads answered out of order, or the page
      // let go meanwhile): read this one whole.
      row =
        (await provenanceRepository.pagesUnlessHeld(this.pool, [code], [form], ['']))[0] ?? null;
      if (!row) return null;
    }
    const page: HeldPage =
      kept?.version === row.version
        ? kept
        : {
            version: row.version,
            lotId: row.lot_id,
            gtin: row.gtin?.trim() ?? null,
            scanWarning: row.scan_warning,
            forms: new Map(),
            rendered: new Map<string, Buffer>(),
            compressed: new Map<string, Buffer>(),
          };
    if (row.content !== null && !page.forms.has(form)) {
      page.forms.set(
        form,
        row.is_document && form !== 'json'
          ? Buffer.from(
              storedProvenancePage(JSON.parse(row.content.toString()) as ProvenanceDocument, form),
            )
          : row.content,
      );
    }
    // Most recently scanned last.
    this.held.delete(code);
    this.held.set(code, page);
    if (this.held.size > HELD_PAGES) this.held.delete(this.held.keys().next().value!);
    return page;
  }

  async answer(scan: ScanRequest): Promise<StoredAnswer> {
    const page = await this.current(scan.code, scan.form);
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
    return { genuine: true, held: page, content: page.forms.get(scan.form)! };
  }
}
