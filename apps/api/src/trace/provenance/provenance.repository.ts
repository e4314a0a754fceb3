import type {
  LotProcess,
  LotStatus,
  OrganicStatus,
  ProductCategory,
  SeasonName,
} from '@huuco/domain';
import type { Polygon } from 'geojson';
import type { Pool, QueryConfig } from 'pg';
import type { EntityManager } from 'typeorm';
import type { ProvenanceDocument } from './provenance.document.js';
import { storedProvenancePage, type Lang } from './provenance.page.js';
import { crossShard, LOT_TRACE } from '../../platform/database/distribution.js';

/** Scans arriving together are answered by one statement: each code is looked up on its shard. */
const SCAN_BATCH = crossShard('scans arriving together, each found by its code');

export interface UpstreamLotRow {
  id: string;
  code: string;
  category: ProductCategory;
  quantity_kg: string;
  organic: boolean;
  status: LotStatus;
  process: LotProcess;
  occurred_on: string;
  inputs: { harvestId: string | null; lotId: string | null; quantityKg: number }[];
}

export interface HarvestRow {
  id: string;
  harvested_on: string;
  lunar_date: string | null;
  category: ProductCategory;
  quantity_kg: string;
  organic_status: OrganicStatus;
  plot_code: string;
  area_m2: string;
  geometry: Polygon;
  zone_id: string | null;
  zone_code: string | null;
  zone_name: string | null;
  household_name: string | null;
}

export interface LotHeaderRow {
  code: string;
  name_vi: string;
  name_en: string;
  category: ProductCategory;
  gtin: string | null;
  quantity_kg: string;
  organic: boolean;
  status: LotStatus;
  produced_on: string;
  recalled_at: Date | null;
  recall_reason: string | null;
  recalled_because_of: string | null;
  season_year: number | null;
  season_name: SeasonName | null;
  coop_name: string;
  registration_number: string;
  commune: string;
  province: string | null;
  is_demo: boolean;
}

export interface ZoneCertificateRow {
  id: string;
  zone_id: string;
  certificate_number: string;
  body: string;
  standard: string;
  guarantee_type: string;
  valid_from: string;
  valid_to: string;
}

/** The harvests whose lots a registry change reaches: by plot, zone, certificate, cooperative, household. */
export type HarvestReach =
  | { plotId: string }
  | { zoneId: string }
  | { certificationId: string }
  | { cooperativeId: string }
  | { householdId: string };

const REACH = {
  plotId: 'p.id = $1',
  zoneId: 'p.zone_id = $1',
  certificationId: 'p.zone_id = (SELECT zone_id FROM certifications WHERE id = $1)',
  cooperativeId: 'h.cooperative_id = $1',
  householdId: 'p.household_id = $1',
} as const;

export interface StoredPage {
  lot_id: string;
  gtin: string | null;
  document: string;
  scan_warning: boolean;
}

/** What a scan sends: the page in one language, or the document as JSON. */
export type PageForm = Lang | 'json';

/** A stored page's row as of now: its content only when it is not the version already held. */
export interface PageVersion {
  lot_id: string;
  gtin: string | null;
  /** The row's version (its `xmin`): any write to the page, its scan warning included, changes it. */
  version: string;
  /**
   * The stored page in the form asked for (HTML in a language, or JSON), or the document when
   * that form is not stored yet, as the UTF-8 bytes the database holds.
   */
  content: Buffer | null;
  /** Whether `content` is the document rather than the form asked for. */
  is_document: boolean;
  scan_warning: boolean;
}

export interface ScanRow {
  lotId: string;
  at: Date;
  client: string;
  placeHash: string;
  genuine: boolean;
}

/** The provenance pages' SQL, all of it: what a document is built from, the stored documents, scans. */
export const provenanceRepository = {
  /** The lot and every lot upstream of it, each with its transformation's inputs. */
  upstreamLots(manager: EntityManager, lotId: string): Promise<UpstreamLotRow[]> {
    return manager.query<UpstreamLotRow[]>(
      `${LOT_TRACE}
       WITH RECURSIVE up(id) AS (
         SELECT $1::uuid
         UNION
         SELECT ti.lot_id FROM up
           JOIN lots l ON l.id = up.id
           JOIN transformation_inputs ti ON ti.transformation_id = l.transformation_id
          WHERE ti.lot_id IS NOT NULL
       )
       SELECT l.id, l.code, pr.category, l.quantity_kg, l.organic, l.status, t.process,
              to_char(t.occurred_on, 'YYYY-MM-DD') AS occurred_on,
              (SELECT json_agg(json_build_object('harvestId', ti.harvest_id, 'lotId', ti.lot_id, 'quantityKg', ti.quantity_kg))
                 FROM transformation_inputs ti WHERE ti.transformation_id = l.transformation_id) AS inputs
         FROM up JOIN lots l ON l.id = up.id
         JOIN transformations t ON t.id = l.transformation_id
         JOIN products pr ON pr.id = l.product_id`,
      [lotId],
    );
  },

  /** Harvests with their plots and zones; the household is named only while its consent stands. */
  harvests(manager: EntityManager, ids: string[]): Promise<HarvestRow[]> {
    if (!ids.length) return Promise.resolve([]);
    return manager.query<HarvestRow[]>(
      `${LOT_TRACE}
       SELECT h.id, to_char(h.harvested_on, 'YYYY-MM-DD') AS harvested_on, h.lunar_date, pr.category, h.quantity_kg,
              h.organic_status, p.code AS plot_code, p.area_m2, p.geometry, p.zone_id, z.code AS zone_code, z.name AS zone_name,
              CASE WHEN EXISTS (SELECT 1 FROM household_consents hc WHERE hc.household_id = hh.id
                                   AND hc.scope = 'name_on_provenance_page' AND hc.revoked_at IS NULL)
                   THEN hh.head_name END AS household_name
         FROM harvests h
         JOIN products pr ON pr.id = h.product_id
         JOIN plots p ON p.id = h.plot_id
         JOIN households hh ON hh.id = p.household_id
         LEFT JOIN zones z ON z.id = p.zone_id
        WHERE h.id = ANY($1::uuid[])`,
      [ids],
    );
  },

  /** The lot with its product, season, cooperative and where the cooperative is. */
  async lotHeader(manager: EntityManager, lotId: string): Promise<LotHeaderRow | null> {
    const [lot] = await manager.query<LotHeaderRow[]>(
      `${LOT_TRACE}
       SELECT l.is_demo, l.code, pr.name_vi, pr.name_en, pr.category, pr.gtin, l.quantity_kg, l.organic, l.status,
              to_char(t.occurred_on, 'YYYY-MM-DD') AS produced_on, l.recalled_at, l.recall_reason,
              origin.code AS recalled_because_of, s.year AS season_year, s.name AS season_name,
              c.name AS coop_name, c.registration_number, cu.name AS commune, pv.name AS province
         FROM lots l
         JOIN products pr ON pr.id = l.product_id
         JOIN transformations t ON t.id = l.transformation_id
         JOIN cooperatives c ON c.id = l.cooperative_id
         JOIN admin_units cu ON cu.id = c.commune_id
         LEFT JOIN admin_units d ON d.id = cu.parent_id
         LEFT JOIN admin_units pv ON pv.id = CASE WHEN d.level = 'province' THEN d.id ELSE d.parent_id END
         LEFT JOIN seasons s ON s.id = l.season_id
         LEFT JOIN lots origin ON origin.id = l.recalled_because_of
        WHERE l.id = $1`,
      [lotId],
    );
    return lot ?? null;
  },

  zoneCertificates(manager: EntityManager, zoneIds: string[]): Promise<ZoneCertificateRow[]> {
    if (!zoneIds.length) return Promise.resolve([]);
    return manager.query<ZoneCertificateRow[]>(
      `SELECT id, zone_id, certificate_number, body, standard, guarantee_type,
              to_char(valid_from, 'YYYY-MM-DD') AS valid_from, to_char(valid_to, 'YYYY-MM-DD') AS valid_to
         FROM certifications WHERE zone_id = ANY($1::uuid[]) AND scope = 'zone' ORDER BY valid_from`,
      [zoneIds],
    );
  },

  /** The product's latest OCOP rating for the lot's cooperative. */
  async ocop(
    manager: EntityManager,
    lotId: string,
  ): Promise<{ score: number; certified_on: string } | null> {
    const [row] = await manager.query<{ score: number; certified_on: string }[]>(
      `${LOT_TRACE}
       SELECT o.score, to_char(o.certified_on, 'YYYY-MM-DD') AS certified_on
         FROM lots l JOIN ocop_products o ON o.product_id = l.product_id AND o.cooperative_id = l.cooperative_id
        WHERE l.id = $1 ORDER BY o.certified_on DESC LIMIT 1`,
      [lotId],
    );
    return row ?? null;
  },

  /** The latest delivery of the lot its buyer confirmed receiving. */
  async receivedDelivery(
    manager: EntityManager,
    lotId: string,
  ): Promise<{
    buyer: string;
    contract: string;
    delivered_on: string;
    received_on: string;
  } | null> {
    const [row] = await manager.query<
      { buyer: string; contract: string; delivered_on: string; received_on: string }[]
    >(
      `${LOT_TRACE}
       SELECT b.name AS buyer, c.number AS contract, to_char(d.delivered_on, 'YYYY-MM-DD') AS delivered_on,
              to_char(d.received_on, 'YYYY-MM-DD') AS received_on
         FROM delivery_lots dl JOIN deliveries d ON d.id = dl.delivery_id
         JOIN contracts c ON c.id = d.contract_id JOIN buyers b ON b.id = c.buyer_id
        WHERE dl.lot_id = $1 AND d.status = 'received'
        ORDER BY d.received_on DESC LIMIT 1`,
      [lotId],
    );
    return row ?? null;
  },

  async store(
    manager: EntityManager,
    lotId: string,
    lot: { code: string; gtin: string | null },
    document: ProvenanceDocument,
  ): Promise<void> {
    await manager.query(
      `INSERT INTO lot_provenance (lot_id, code, gtin, document, page_json, page_vi, page_en, updated_at)
       VALUES ($1, $2, $3, $4::text::jsonb, $4::text, $5, $6, now())
       ON CONFLICT (lot_id) DO UPDATE SET document = EXCLUDED.document,
         page_json = EXCLUDED.page_json, page_vi = EXCLUDED.page_vi, page_en = EXCLUDED.page_en,
         updated_at = now()`,
      [
        lotId,
        lot.code,
        lot.gtin,
        JSON.stringify(document),
        storedProvenancePage(document, 'vi'),
        storedProvenancePage(document, 'en'),
      ],
    );
  },

  /** The lots delivered against any of the buyer's contracts. */
  async lotsDeliveredTo(manager: EntityManager, buyerId: string): Promise<string[]> {
    const rows = await manager.query<{ lot_id: string }[]>(
      `${LOT_TRACE}
       SELECT DISTINCT dl.lot_id FROM delivery_lots dl
         JOIN deliveries d ON d.id = dl.delivery_id
         JOIN contracts c ON c.id = d.contract_id
        WHERE c.buyer_id = $1`,
      [buyerId],
    );
    return rows.map((row) => row.lot_id);
  },

  /** The lots made from the harvests reached, however far down. */
  async lotsMadeFrom(manager: EntityManager, reach: HarvestReach): Promise<string[]> {
    const [key, value] = Object.entries(reach)[0] as [keyof typeof REACH, string];
    const rows = await manager.query<{ id: string }[]>(
      `${LOT_TRACE}
       WITH RECURSIVE down(id) AS (
         SELECT l.id FROM harvests h
           JOIN plots p ON p.id = h.plot_id
           JOIN transformation_inputs ti ON ti.harvest_id = h.id
           JOIN lots l ON l.transformation_id = ti.transformation_id
          WHERE ${REACH[key]}
         UNION
         SELECT l.id FROM down d
           JOIN transformation_inputs ti ON ti.lot_id = d.id
           JOIN lots l ON l.transformation_id = ti.transformation_id
       )
       SELECT id FROM down`,
      [value],
    );
    return rows.map((row) => row.id);
  },

  /** Partners' events about these lots or harvests (EPCIS capture), oldest first. */
  partnerEvents(
    manager: EntityManager,
    subjectIds: string[],
  ): Promise<{ biz_step: string; event_time: Date; organisation: string }[]> {
    return manager.query(
      `${LOT_TRACE}
       SELECT e.biz_step, e.event_time, c.organisation
         FROM events e JOIN captured_events c ON c.event_seq = e.seq
        WHERE e.lot_ids && $1::uuid[] ORDER BY e.seq`,
      [subjectIds],
    );
  },

  /** A scan's one read, straight on node-postgres' pool: no query runner around it. */
  async page(pool: Pool, code: string): Promise<StoredPage | null> {
    const {
      rows: [row],
    } = await pool.query<StoredPage>(
      'SELECT lot_id, gtin, document::text AS document, scan_warning FROM lot_provenance WHERE code = $1',
      [code],
    );
    return row ?? null;
  },

  /**
   * The pages of several scans in one round trip, whether held or not: each row's version
   * always, its content in the form asked for (`forms[i]`) only when the version held
   * (`held[i]`, '' for none) is not the current one — a stored page of ~6 KB for HTML, the
   * stored JSON (~12 KB), or the document when the row has no stored form yet.
   */
  async pagesUnlessHeld(
    pool: Pool,
    codes: readonly string[],
    forms: readonly PageForm[],
    held: readonly string[],
  ): Promise<PageVersion[]> {
    const query: QueryConfig = {
      name: 'provenance-page-forms-unless-held',
      // One index lookup per code, never a hash join over every page: a prepared plan guesses
      // nothing of the array's length, and would scan the whole table for each batch.
      text: `${SCAN_BATCH} SELECT h.i::int AS i, p.lot_id::text AS lot_id, p.gtin::text AS gtin, p.version,
                    p.scan_warning, convert_to(p.content, 'UTF8') AS content,
                    p.content IS NOT NULL AND p.page IS NULL AS is_document
               FROM unnest($1::text[], $2::text[], $3::text[]) WITH ORDINALITY AS h(code, form, held, i)
               CROSS JOIN LATERAL (
                 SELECT lp.lot_id, lp.gtin, lp.xmin::text AS version, lp.scan_warning, f.page,
                        CASE WHEN lp.xmin::text = h.held THEN NULL
                             ELSE coalesce(f.page, lp.document::text) END AS content
                   FROM lot_provenance lp
                   CROSS JOIN LATERAL (SELECT CASE h.form WHEN 'vi' THEN lp.page_vi
                                                          WHEN 'en' THEN lp.page_en
                                                          WHEN 'json' THEN lp.page_json END AS page) f
                  WHERE lp.code = h.code LIMIT 1) p`,
      values: [codes, forms, held],
    };
    const { rows } = await pool.query<PageVersion & { i: number }>(query);
    const found: PageVersion[] = [];
    for (const row of rows) found[row.i - 1] = row;
    return found;
  },

  async insertScans(manager: EntityManager, batch: ScanRow[]): Promise<void> {
    await manager.query(
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
  },

  /**
   * Adds genuine scans to their lots' counts and answers each lot's count after them. Rows are
   * taken in one order, so two processes logging never deadlock.
   */
  countGenuineScans(
    manager: EntityManager,
    lotIds: string[],
  ): Promise<{ lot_id: string; genuine_scans: string }[]> {
    return manager.query(
      `INSERT INTO lot_scan_counts (lot_id, genuine_scans)
       SELECT lot_id, count(*) FROM unnest($1::uuid[]) AS s(lot_id) GROUP BY lot_id ORDER BY lot_id
       ON CONFLICT (lot_id)
       DO UPDATE SET genuine_scans = lot_scan_counts.genuine_scans + excluded.genuine_scans
       RETURNING lot_id, genuine_scans`,
      [lotIds],
    );
  },

  /** Each network's last genuine scan of a lot, from these scans; rows taken in one order. */
  async notePlaces(manager: EntityManager, genuine: ScanRow[]): Promise<void> {
    await manager.query(
      `INSERT INTO lot_scan_places (lot_id, place_hash, last_at)
       SELECT lot_id, place_hash, max(at)
         FROM unnest($1::uuid[], $2::char(16)[], $3::timestamptz[]) AS s(lot_id, place_hash, at)
        GROUP BY lot_id, place_hash ORDER BY lot_id, place_hash
       ON CONFLICT (lot_id, place_hash)
       DO UPDATE SET last_at = greatest(lot_scan_places.last_at, excluded.last_at)`,
      [genuine.map((s) => s.lotId), genuine.map((s) => s.placeHash), genuine.map((s) => s.at)],
    );
  },

  /**
   * Each network's last genuine scan of these lots within the hour, from the logged scans (the
   * lot's few scans so far, found by the lot's index on scans).
   */
  async notePlacesFromLog(manager: EntityManager, lotIds: string[]): Promise<void> {
    await manager.query(
      `INSERT INTO lot_scan_places (lot_id, place_hash, last_at)
       SELECT lot_id, place_hash, max(at) FROM scans
        WHERE lot_id = ANY($1::uuid[]) AND genuine AND at > now() - interval '1 hour'
        GROUP BY lot_id, place_hash ORDER BY lot_id, place_hash
       ON CONFLICT (lot_id, place_hash)
       DO UPDATE SET last_at = greatest(lot_scan_places.last_at, excluded.last_at)`,
      [lotIds],
    );
  },

  /**
   * Far more scans than units sold, or scans from many networks within an hour, look like a
   * copied label; only scans of the genuine signed address count.
   */
  async markCopiedLabels(
    manager: EntityManager,
    lotIds: string[],
    rule: { minScans: number; scansPerUnit: number; placesPerHour: number },
  ): Promise<void> {
    await manager.query(
      `UPDATE lot_provenance lp SET scan_warning = stats.warning
         FROM (
           SELECT l.id,
                  (c.genuine_scans >= $2
                     AND c.genuine_scans > $3 * ceil(l.quantity_kg / coalesce(pr.pack_size_kg, 1)))
                  OR (SELECT count(*) FROM lot_scan_places p
                       WHERE p.lot_id = l.id AND p.last_at > now() - interval '1 hour') >= $4 AS warning
             FROM lots l JOIN products pr ON pr.id = l.product_id
             JOIN lot_scan_counts c ON c.lot_id = l.id
            WHERE l.id = ANY($1::uuid[])
         ) stats
        WHERE lp.lot_id = stats.id AND lp.scan_warning IS DISTINCT FROM stats.warning`,
      [lotIds, rule.minScans, rule.scansPerUnit, rule.placesPerHour],
    );
  },
};
