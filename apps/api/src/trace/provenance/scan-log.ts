import { createHmac } from 'node:crypto';
import { Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { SCAN_WARNING } from '@huuco/domain';
import type { DataSource, EntityManager } from 'typeorm';
import { AppConfig } from '../../platform/config/app-config.js';
import { Secrets } from '../../platform/config/secrets.js';
import { provenanceRepository, type ScanRow } from './provenance.repository.js';

type Scan = ScanRow;

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

  /**
   * Scans logged at once at most (and at least every second): on the server, a second of a
   * busy campaign's scans; the embedded database runs in the server's own thread, where a
   * long write holds every request behind it, so it takes smaller ones.
   */
  private readonly flushAt: number;

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly secrets: Secrets,
    config: AppConfig,
  ) {
    this.flushAt = config.databaseUrl ? 10_000 : 500;
  }

  record(lotId: string, ip: string, userAgent: string | undefined, genuine: boolean): void {
    this.pending.push({
      lotId,
      at: new Date(),
      client: coarseClient(userAgent),
      placeHash: this.placeOf(ip),
      genuine,
    });
    if (this.pending.length >= this.flushAt) void this.flush();
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

  /**
   * The batch and what the copied-label check reads of it (each lot's genuine scans, each
   * network's last genuine scan) in one transaction, so the counts are always the scans'.
   */
  private async write(batch: Scan[]): Promise<void> {
    if (!batch.length) return;
    const genuine = batch.filter((s) => s.genuine);
    const counts = await this.db.transaction(async (manager) => {
      await provenanceRepository.insertScans(manager, batch);
      if (!genuine.length) return [];
      const counts = await provenanceRepository.countGenuineScans(
        manager,
        genuine.map((s) => s.lotId),
      );
      await this.notePlaces(manager, genuine, counts);
      return counts;
    });
    // Only lots scanned often enough to look copied are examined further; most lots are
    // scanned a few times, and their rows are not touched at all. Only scans of the genuine
    // signed address count: anyone can request a lot's address with a made-up signature, and
    // that says nothing about its printed labels.
    const threshold = Math.min(SCAN_WARNING.minScans, SCAN_WARNING.placesPerHour);
    const suspects = counts
      .filter((c) => Number(c.genuine_scans) >= threshold)
      .map((c) => c.lot_id);
    if (!suspects.length) return;
    await provenanceRepository.markCopiedLabels(this.db.manager, suspects, SCAN_WARNING);
  }

  /**
   * Each network's last genuine scan, for the lots that could have been scanned from
   * `placesPerHour` networks in the hour: a lot with fewer genuine scans in all cannot, and most
   * lots never have that many, so their scans write nothing more (a third of a scan's cost on
   * the embedded database). A lot reaching that many has its networks of the hour read from its
   * logged scans once; from then on each batch notes its own.
   */
  private async notePlaces(
    manager: EntityManager,
    genuine: Scan[],
    counts: { lot_id: string; genuine_scans: string }[],
  ): Promise<void> {
    const inBatch = new Map<string, number>();
    for (const scan of genuine) inBatch.set(scan.lotId, (inBatch.get(scan.lotId) ?? 0) + 1);
    const reaching: string[] = [];
    const noted = new Set<string>();
    for (const { lot_id: lotId, genuine_scans: total } of counts) {
      const after = Number(total);
      if (after < SCAN_WARNING.placesPerHour) continue;
      if (after - (inBatch.get(lotId) ?? 0) < SCAN_WARNING.placesPerHour) reaching.push(lotId);
      else noted.add(lotId);
    }
    if (reaching.length) await provenanceRepository.notePlacesFromLog(manager, reaching);
    const scans = genuine.filter((scan) => noted.has(scan.lotId));
    if (scans.length) await provenanceRepository.notePlaces(manager, scans);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.flush();
  }
}
