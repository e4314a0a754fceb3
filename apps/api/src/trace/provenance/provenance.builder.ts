import { Injectable } from '@nestjs/common';
import {
  certificateStandingOn,
  ocopStars,
  ocopValidTo,
  todayIso,
  type CertificateDecision,
  type ZoneStatus,
} from '@huuco/domain';
import type {
  LotProcess,
  LotStatus,
  OrganicStatus,
  ProductCategory,
  SeasonName,
  TraceNode,
} from '@huuco/domain';
import type { Polygon } from 'geojson';
import type { EntityManager } from 'typeorm';
import { RegistryEvents, type RegistryEvent } from '../../platform/events/registry-events.js';
import {
  bySubject,
  changesOf,
  type StoredStatusChange,
} from '../../registry/status-history.repository.js';
import type { ProvenanceDocument } from './provenance.document.js';
import { outlineSvg } from './outline-svg.js';

interface UpstreamLotRow {
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

interface HarvestRow {
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

/**
 * Builds and keeps each lot's provenance document: the whole upstream trace in three queries,
 * stored so a scan is answered with one indexed read.
 */
@Injectable()
export class ProvenanceBuilder {
  constructor(events: RegistryEvents) {
    events.listen('read-models', (manager, event) => this.onRegistryEvent(manager, event));
  }

  async upstreamLots(manager: EntityManager, lotId: string): Promise<UpstreamLotRow[]> {
    return manager.query<UpstreamLotRow[]>(
      `WITH RECURSIVE up(id) AS (
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
  }

  private async harvests(manager: EntityManager, ids: string[]): Promise<HarvestRow[]> {
    if (!ids.length) return [];
    return manager.query<HarvestRow[]>(
      `SELECT h.id, to_char(h.harvested_on, 'YYYY-MM-DD') AS harvested_on, h.lunar_date, pr.category, h.quantity_kg,
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
  }

  /** The trace as a tree, from the lot down to the harvests and their plots. */
  async upstreamTree(manager: EntityManager, lotId: string): Promise<TraceNode> {
    const lots = await this.upstreamLots(manager, lotId);
    const harvestIds = lots.flatMap((l) =>
      l.inputs.flatMap((i) => (i.harvestId ? [i.harvestId] : [])),
    );
    const harvests = new Map((await this.harvests(manager, harvestIds)).map((h) => [h.id, h]));
    const byId = new Map(lots.map((l) => [l.id, l]));
    const node = (id: string, usedKg: number | null, depth: number): TraceNode => {
      const lot = byId.get(id)!;
      return {
        kind: 'lot',
        id,
        code: lot.code,
        product: lot.category,
        quantityKg: Number(lot.quantity_kg),
        usedKg,
        date: lot.occurred_on,
        process: lot.process,
        organic: lot.organic,
        status: lot.status,
        inputs:
          depth > 50
            ? []
            : lot.inputs.map((input) => {
                if (input.lotId) return node(input.lotId, input.quantityKg, depth + 1);
                const h = harvests.get(input.harvestId!)!;
                return {
                  kind: 'harvest',
                  id: h.id,
                  code: h.plot_code,
                  plotCode: h.plot_code,
                  product: h.category,
                  quantityKg: Number(h.quantity_kg),
                  usedKg: input.quantityKg,
                  date: h.harvested_on,
                  organic: h.organic_status === 'certified',
                  inputs: [],
                };
              }),
      };
    };
    return node(lotId, null, 0);
  }

  /** Recomputes a lot's document inside the transaction that changed it. */
  async rebuild(manager: EntityManager, lotId: string): Promise<ProvenanceDocument> {
    const [lot] = await manager.query<
      {
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
      }[]
    >(
      `SELECT l.is_demo, l.code, pr.name_vi, pr.name_en, pr.category, pr.gtin, l.quantity_kg, l.organic, l.status,
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
    if (!lot) throw new Error(`lot ${lotId} vanished while building its provenance`);

    const lots = await this.upstreamLots(manager, lotId);
    const inputs = lots.flatMap((l) => l.inputs.flatMap((i) => (i.harvestId ? [i] : [])));
    const harvests = await this.harvests(manager, [...new Set(inputs.map((i) => i.harvestId!))]);
    const zoneIds = [...new Set(harvests.flatMap((h) => (h.zone_id ? [h.zone_id] : [])))];
    const certificates = zoneIds.length
      ? await manager.query<
          {
            id: string;
            zone_id: string;
            certificate_number: string;
            body: string;
            standard: string;
            guarantee_type: string;
            valid_from: string;
            valid_to: string;
          }[]
        >(
          `SELECT id, zone_id, certificate_number, body, standard, guarantee_type,
                  to_char(valid_from, 'YYYY-MM-DD') AS valid_from, to_char(valid_to, 'YYYY-MM-DD') AS valid_to
             FROM certifications WHERE zone_id = ANY($1::uuid[]) AND scope = 'zone' ORDER BY valid_from`,
          [zoneIds],
        )
      : [];
    const decisions = bySubject(
      await changesOf<CertificateDecision>(
        manager,
        'certificate',
        certificates.map((c) => c.id),
      ),
    );
    const notices = await this.noticesToday(
      manager,
      zoneIds.map((id) => ({ id, name: harvests.find((h) => h.zone_id === id)!.zone_name! })),
      certificates.map((c) => ({ id: c.id, number: c.certificate_number })),
      decisions,
    );
    const dates = harvests.map((h) => h.harvested_on).sort();
    const usedByHarvest = new Map<string, number>();
    for (const input of inputs)
      usedByHarvest.set(
        input.harvestId!,
        (usedByHarvest.get(input.harvestId!) ?? 0) + input.quantityKg,
      );

    const document: ProvenanceDocument = {
      demo: lot.is_demo,
      lot: {
        code: lot.code,
        product: { vi: lot.name_vi, en: lot.name_en, category: lot.category },
        gtin: lot.gtin,
        quantityKg: Number(lot.quantity_kg),
        organic: lot.organic,
        status: lot.status,
        producedOn: lot.produced_on,
        recalledAt: lot.recalled_at?.toISOString() ?? null,
        recallReason: lot.recall_reason,
        recalledBecauseOf: lot.recalled_because_of,
      },
      season: lot.season_year === null ? null : { year: lot.season_year, name: lot.season_name! },
      notices,
      harvest: dates.length
        ? {
            from: dates[0]!,
            to: dates[dates.length - 1]!,
            lunarDates: [...new Set(harvests.flatMap((h) => (h.lunar_date ? [h.lunar_date] : [])))],
            quantityKg: harvests.reduce((sum, h) => sum + (usedByHarvest.get(h.id) ?? 0), 0),
          }
        : null,
      cooperative: {
        name: lot.coop_name,
        registrationNumber: lot.registration_number,
        commune: lot.commune,
        province: lot.province,
      },
      zones: zoneIds.map((zoneId) => {
        const zoneHarvests = harvests.filter((h) => h.zone_id === zoneId);
        return {
          code: zoneHarvests[0]!.zone_code!,
          name: zoneHarvests[0]!.zone_name!,
          certificates: certificates
            .filter((c) => c.zone_id === zoneId)
            .map((c) => ({
              number: c.certificate_number,
              body: c.body,
              standard: c.standard,
              guaranteeType: c.guarantee_type,
              validFrom: c.valid_from,
              validTo: c.valid_to,
              validOnHarvestDates: zoneHarvests.every(
                (h) =>
                  c.valid_from <= h.harvested_on &&
                  h.harvested_on <= c.valid_to &&
                  certificateStandingOn(decisions.get(c.id) ?? [], h.harvested_on) === 'in_force',
              ),
            })),
        };
      }),
      plots: harvests
        .map((h) => ({
          code: h.plot_code,
          areaM2: Number(h.area_m2),
          zoneCode: h.zone_code,
          harvestedOn: h.harvested_on,
          quantityKg: usedByHarvest.get(h.id) ?? 0,
          organicStatus: h.organic_status,
          household: h.household_name,
        }))
        .sort((a, b) => a.code.localeCompare(b.code)),
      outlineSvg: outlineSvg(harvests.map((h) => h.geometry)),
      steps: lots
        .map((l) => ({
          process: l.process,
          date: l.occurred_on,
          inputKg: l.inputs.reduce((sum, i) => sum + i.quantityKg, 0),
          outputs: [{ code: l.code, product: l.category, quantityKg: Number(l.quantity_kg) }],
        }))
        .sort(
          (a, b) =>
            a.date.localeCompare(b.date) || a.outputs[0]!.code.localeCompare(b.outputs[0]!.code),
        ),
      delivery: await this.delivery(manager, lotId),
      ocop: await this.ocop(manager, lotId),
      updatedAt: new Date().toISOString(),
    };
    await manager.query(
      `INSERT INTO lot_provenance (lot_id, code, gtin, document, updated_at) VALUES ($1, $2, $3, $4::jsonb, now())
       ON CONFLICT (lot_id) DO UPDATE SET document = EXCLUDED.document, updated_at = now()`,
      [lotId, lot.code, lot.gtin, JSON.stringify(document)],
    );
    return document;
  }

  /** The product's OCOP rating; the page shows the stars only while the certificate is valid. */
  private async ocop(manager: EntityManager, lotId: string): Promise<ProvenanceDocument['ocop']> {
    const [row] = await manager.query<{ score: number; certified_on: string }[]>(
      `SELECT o.score, to_char(o.certified_on, 'YYYY-MM-DD') AS certified_on
         FROM lots l JOIN ocop_products o ON o.product_id = l.product_id AND o.cooperative_id = l.cooperative_id
        WHERE l.id = $1 ORDER BY o.certified_on DESC LIMIT 1`,
      [lotId],
    );
    return row ? { stars: ocopStars(row.score), validTo: ocopValidTo(row.certified_on) } : null;
  }

  /** The buyer and contract, once the buyer has confirmed receiving the lot. */
  private async delivery(
    manager: EntityManager,
    lotId: string,
  ): Promise<ProvenanceDocument['delivery']> {
    const [row] = await manager.query<
      { buyer: string; contract: string; delivered_on: string; received_on: string }[]
    >(
      `SELECT b.name AS buyer, c.number AS contract, to_char(d.delivered_on, 'YYYY-MM-DD') AS delivered_on,
              to_char(d.received_on, 'YYYY-MM-DD') AS received_on
         FROM delivery_lots dl JOIN deliveries d ON d.id = dl.delivery_id
         JOIN contracts c ON c.id = d.contract_id JOIN buyers b ON b.id = c.buyer_id
        WHERE dl.lot_id = $1 AND d.status = 'received'
        ORDER BY d.received_on DESC LIMIT 1`,
      [lotId],
    );
    return row
      ? {
          buyer: row.buyer,
          contract: row.contract,
          deliveredOn: row.delivered_on,
          receivedOn: row.received_on,
        }
      : null;
  }

  /** After a consent is given or revoked: every document naming the household's plots is redone. */

  /**
   * Refreshes every stored document a registry change shows through: the lots made from the
   * harvests of the plots it touches, however far down. Registered as a listener of
   * `RegistryEvents`, so each registry writer only says what changed.
   */
  async onRegistryEvent(manager: EntityManager, event: RegistryEvent): Promise<void> {
    switch (event.kind) {
      case 'zone.changed':
        return this.rebuildFromHarvests(manager, 'p.zone_id = $1', event.zoneId);
      case 'certificate.changed':
        return this.rebuildFromHarvests(
          manager,
          'p.zone_id = (SELECT zone_id FROM certifications WHERE id = $1)',
          event.certificationId,
        );
      case 'cooperative.changed':
        return this.rebuildFromHarvests(manager, 'h.cooperative_id = $1', event.cooperativeId);
      case 'household.changed':
        return this.rebuildFromHarvests(manager, 'p.household_id = $1', event.householdId);
      case 'plot.changed':
        return this.rebuildFromHarvests(manager, 'p.id = $1', event.plotId);
      case 'buyer.changed': {
        // The pages of lots a buyer received name it.
        const lots = await manager.query<{ lot_id: string }[]>(
          `SELECT DISTINCT dl.lot_id FROM delivery_lots dl
             JOIN deliveries d ON d.id = dl.delivery_id
             JOIN contracts c ON c.id = d.contract_id
            WHERE c.buyer_id = $1`,
          [event.buyerId],
        );
        for (const lot of lots) await this.rebuild(manager, lot.lot_id);
        return;
      }
    }
  }

  /** The suspensions and withdrawals in effect today, with the change that made them. */
  private async noticesToday(
    manager: EntityManager,
    zones: { id: string; name: string }[],
    certificates: { id: string; number: string }[],
    decisions: Map<string, StoredStatusChange<CertificateDecision>[]>,
  ): Promise<NonNullable<ProvenanceDocument['notices']>> {
    const today = todayIso();
    const notices: NonNullable<ProvenanceDocument['notices']> = [];
    const zoneChanges = bySubject(
      await changesOf<ZoneStatus>(
        manager,
        'zone',
        zones.map((z) => z.id),
      ),
    );
    for (const zone of zones) {
      const latest = lastInEffect(zoneChanges.get(zone.id) ?? [], today);
      if (latest?.status === 'suspended') {
        notices.push({
          kind: 'zone_suspended',
          subject: zone.name,
          since: latest.effectiveOn,
          reason: latest.reason,
        });
      }
    }
    for (const certificate of certificates) {
      const latest = lastInEffect(decisions.get(certificate.id) ?? [], today);
      if (latest?.status === 'suspended' || latest?.status === 'withdrawn') {
        notices.push({
          kind: latest.status === 'suspended' ? 'certificate_suspended' : 'certificate_withdrawn',
          subject: certificate.number,
          since: latest.effectiveOn,
          reason: latest.reason,
        });
      }
    }
    return notices;
  }

  private async rebuildFromHarvests(
    manager: EntityManager,
    plotCondition: string,
    value: string,
  ): Promise<void> {
    const lots = await manager.query<{ id: string }[]>(
      `WITH RECURSIVE down(id) AS (
         SELECT l.id FROM harvests h
           JOIN plots p ON p.id = h.plot_id
           JOIN transformation_inputs ti ON ti.harvest_id = h.id
           JOIN lots l ON l.transformation_id = ti.transformation_id
          WHERE ${plotCondition}
         UNION
         SELECT l.id FROM down d
           JOIN transformation_inputs ti ON ti.lot_id = d.id
           JOIN lots l ON l.transformation_id = ti.transformation_id
       )
       SELECT id FROM down`,
      [value],
    );
    for (const lot of lots) await this.rebuild(manager, lot.id);
  }
}

function lastInEffect<T extends { effectiveOn: string }>(changes: T[], on: string): T | undefined {
  return changes.filter((c) => c.effectiveOn <= on).at(-1);
}
