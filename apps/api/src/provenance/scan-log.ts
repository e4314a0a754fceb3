import { createHmac } from 'node:crypto';
import { Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { SCAN_WARNING } from '@huuco/domain';
import type { DataSource } from 'typeorm';
import { Secrets } from '../config/secrets.js';

interface Scan {
  lotId: string;
  at: Date;
  client: string;
  placeHash: string;
  genuine: boolean;
}

/** A phone, a computer or a robot: all the page needs to know about who scanned. */
export function coarseClient(userAgent: string | undefined): string {
  const ua = userAgent ?? '';
  if (/bot|crawl|spider|curl|wget|python|autocannon/i.test(ua)) return 'bot';
  if (/iphone|ipad|ios/i.test(ua)) return 'ios';
  if (/android/i.test(ua)) return 'android';
  if (/windows|macintosh|linux|x11/i.test(ua)) return 'desktop';
  return 'other';
}

/** The network a scan came from (IPv4 /24, IPv6 /48), keyed and hashed: never the address itself. */
export function placeOf(ip: string, key: Buffer): string {
  const network = ip.includes(':')
    ? ip.split(':').slice(0, 3).join(':')
    : ip.split('.').slice(0, 3).join('.');
  return createHmac('sha256', key).update(network).digest('hex').slice(0, 16);
}

/**
 * Scans are logged in batches, off the request path: a campaign's burst of scans costs one
 * insert a second, and each batch re-checks the lots it touched for implausible scanning.
 */
@Injectable()
export class ScanLog implements OnApplicationShutdown {
  private readonly logger = new Logger('Scans');
  private pending: Scan[] = [];
  private timer: NodeJS.Timeout | null = null;
  private flushing: Promise<void> = Promise.resolve();

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly secrets: Secrets,
  ) {}

  record(lotId: string, ip: string, userAgent: string | undefined, genuine: boolean): void {
    this.pending.push({
      lotId,
      at: new Date(),
      client: coarseClient(userAgent),
      placeHash: placeOf(ip, this.secrets.labelKey),
      genuine,
    });
    if (this.pending.length >= 1_000) void this.flush();
    else this.timer ??= setTimeout(() => void this.flush(), 1_000);
  }

  async flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const batch = this.pending;
    this.pending = [];
    this.flushing = this.flushing
      .then(() => this.write(batch))
      .catch((error: Error) => this.logger.error(`scan log: ${error.message}`));
    return this.flushing;
  }

  private async write(batch: Scan[]): Promise<void> {
    if (!batch.length) return;
    await this.db.query(
      `INSERT INTO scans (lot_id, at, client, place_hash, genuine)
       SELECT * FROM unnest($1::uuid[], $2::timestamptz[], $3::varchar[], $4::char(16)[], $5::boolean[])`,
      [
        batch.map((s) => s.lotId),
        batch.map((s) => s.at),
        batch.map((s) => s.client),
        batch.map((s) => s.placeHash),
        batch.map((s) => s.genuine),
      ],
    );
    const counts = new Map<string, number>();
    for (const scan of batch) counts.set(scan.lotId, (counts.get(scan.lotId) ?? 0) + 1);
    const totals = await this.db.query<{ lot_id: string; scan_count: number }[]>(
      `UPDATE lot_provenance lp SET scan_count = lp.scan_count + b.n
         FROM unnest($1::uuid[], $2::int[]) AS b(lot_id, n)
        WHERE lp.lot_id = b.lot_id
       RETURNING lp.lot_id, lp.scan_count`,
      [[...counts.keys()], [...counts.values()]],
    );
    // Only lots scanned often enough to look copied are examined further.
    const threshold = Math.min(SCAN_WARNING.minScans, SCAN_WARNING.placesPerHour);
    const rows = (Array.isArray(totals[0]) ? totals[0] : totals) as {
      lot_id: string;
      scan_count: number;
    }[];
    const suspects = rows.filter((row) => row.scan_count >= threshold).map((row) => row.lot_id);
    if (!suspects.length) return;
    // Far more scans than units sold, or scans from many networks within an hour, look like a copied label.
    await this.db.query(
      `UPDATE lot_provenance lp SET scan_warning = (
           (lp.scan_count >= $2 AND lp.scan_count > $3 * stats.units) OR stats.places >= $4)
         FROM (
           SELECT l.id,
                  (SELECT count(DISTINCT place_hash) FROM scans s WHERE s.lot_id = l.id AND s.at > now() - interval '1 hour') AS places,
                  ceil(l.quantity_kg / coalesce(pr.pack_size_kg, 1)) AS units
             FROM lots l JOIN products pr ON pr.id = l.product_id
            WHERE l.id = ANY($1::uuid[])
         ) stats
        WHERE lp.lot_id = stats.id`,
      [suspects, SCAN_WARNING.minScans, SCAN_WARNING.scansPerUnit, SCAN_WARNING.placesPerHour],
    );
  }

  async onApplicationShutdown(): Promise<void> {
    await this.flush();
  }
}
