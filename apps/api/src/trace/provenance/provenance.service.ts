import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { provenancePath } from '@huuco/domain';
import type { Pool } from 'pg';
import type { DataSource } from 'typeorm';
import { LabelSigner } from './label-signer.js';
import type { ProvenanceDocument } from './provenance.document.js';
import { provenanceRepository } from './provenance.repository.js';
import { ScanLog } from './scan-log.js';

export type NotGenuineReason =
  'UNSIGNED' | 'UNKNOWN_KEY' | 'BAD_SIGNATURE' | 'UNKNOWN_CODE' | 'GTIN_MISMATCH';

export type ProvenanceAnswer =
  | { genuine: true; document: ProvenanceDocument; scanWarning: boolean }
  | { genuine: false; reason: NotGenuineReason };

/** The answer as stored: the document still as JSON text, parsed only when a page is rendered. */
export type StoredAnswer =
  | { genuine: true; documentJson: string; scanWarning: boolean }
  | { genuine: false; reason: NotGenuineReason };

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

  async answer(scan: ScanRequest): Promise<StoredAnswer> {
    const row = await provenanceRepository.page(this.pool, scan.code);
    if (!row) return { genuine: false, reason: 'UNKNOWN_CODE' };
    const verdict = this.signer.verify(
      provenancePath(scan.code, scan.gtin),
      scan.keyId,
      scan.signature,
    );
    const gtinMatches = (row.gtin?.trim() ?? null) === scan.gtin;
    this.scans.record(row.lot_id, scan.ip, scan.userAgent, verdict.genuine && gtinMatches);
    if (!verdict.genuine) return { genuine: false, reason: verdict.reason };
    if (!gtinMatches) return { genuine: false, reason: 'GTIN_MISMATCH' };
    return { genuine: true, documentJson: row.document, scanWarning: row.scan_warning };
  }
}
