import { createHmac } from 'node:crypto';
import { Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { SCAN_WARNING } from '@huuco/domain';
import type { DataSource } from 'typeorm';
import { Secrets } from '../../platform/config/secrets.js';

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
  private readonly places = new Map<string, string>();
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
      placeHash: this.placeOf(ip),
      genuine,
    });
    if (this.pending.length >= 1_000) void this.flush();
    else this.timer ??= setTimeout(() => void this.flush(), 1_000);
  }

  /** A burst comes from few networks: each is hashed once. */
  private placeOf(ip: string): string {
    let place = this.places.get(ip);
    if (place === undefined) {
      if (this.places.size >= 10_000) this.places.clear();
      place = placeOf(ip, this.secrets.labelKey);
      this.places.set(ip, place);
    }
    return place;
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
    // Only lots scanned often enough to look copied are examined further; most lots are
    // scanned a few times, and their rows are not touched at all.
    const threshold = Math.min(SCAN_WARNING.minScans, SCAN_WARNING.placesPerHour);
    const suspects = (
      await this.db.query<{ lot_id: string }[]>(
        `SELECT lot_id FROM scans WHERE lot_id = ANY($1::uuid[]) AND genuine GROUP BY lot_id HAVING count(*) >= $2`,
        [[...new Set(batch.filter((s) => s.genuine).map((s) => s.lotId))], threshold],
      )
    ).map((row) => row.lot_id);
    if (!suspects.length) return;
    // Far more scans than units sold, or scans from many networks within an hour, look like a
    // copied label. Only scans of the genuine signed address count: anyone can request a lot's
    // address with a made-up signature, and that says nothing about its printed labels.
    await this.db.query(
      `UPDATE lot_provenance lp SET scan_warning = stats.warning
         FROM (
           SELECT l.id,
                  ((SELECT count(*) FROM scans s WHERE s.lot_id = l.id AND s.genuine) >= $2
                     AND (SELECT count(*) FROM scans s WHERE s.lot_id = l.id AND s.genuine) > $3 * ceil(l.quantity_kg / coalesce(pr.pack_size_kg, 1)))
                  OR (SELECT count(DISTINCT place_hash) FROM scans s
                       WHERE s.lot_id = l.id AND s.genuine AND s.at > now() - interval '1 hour') >= $4 AS warning
             FROM lots l JOIN products pr ON pr.id = l.product_id
            WHERE l.id = ANY($1::uuid[])
         ) stats
        WHERE lp.lot_id = stats.id AND lp.scan_warning IS DISTINCT FROM stats.warning`,
      [suspects, SCAN_WARNING.minScans, SCAN_WARNING.scansPerUnit, SCAN_WARNING.placesPerHour],
    );
  }

  async onApplicationShutdown(): Promise<void> {
    await this.flush();
  }
}
