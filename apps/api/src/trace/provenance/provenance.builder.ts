import { Injectable } from '@nestjs/common';
import {
  certificateStandingOn,
  ocopStars,
  ocopValidTo,
  todayIso,
  type CertificateDecision,
  type ZoneStatus,
} from '@huuco/domain';
import type { TraceNode } from '@huuco/domain';
import type { EntityManager } from 'typeorm';
import { RegistryEvents, type RegistryEvent } from '../../platform/events/registry-events.js';
import {
  bySubject,
  changesOf,
  type StoredStatusChange,
} from '../../registry/status-history.repository.js';
import type { ProvenanceDocument } from './provenance.document.js';
import { epcClassOfLot } from '../events/epcis.js';
import { LogTree } from '../log/log-tree.service.js';
import { outlineSvg } from './outline-svg.js';
import { provenanceRepository, type UpstreamLotRow } from './provenance.repository.js';

/**
 * Builds and keeps each lot's provenance document: the whole upstream trace in three queries,
 * stored so a scan is answered with one indexed read.
 */
@Injectable()
export class ProvenanceBuilder {
  constructor(
    events: RegistryEvents,
    private readonly log: LogTree,
  ) {
    events.listen('read-models', (manager, event) => this.onRegistryEvent(manager, event));
  }

  upstreamLots(manager: EntityManager, lotId: string): Promise<UpstreamLotRow[]> {
    return provenanceRepository.upstreamLots(manager, lotId);
  }

  /** The trace as a tree, from the lot down to the harvests and their plots. */
  async upstreamTree(manager: EntityManager, lotId: string): Promise<TraceNode> {
    const lots = await this.upstreamLots(manager, lotId);
    const harvestIds = lots.flatMap((l) =>
      l.inputs.flatMap((i) => (i.harvestId ? [i.harvestId] : [])),
    );
    const harvests = new Map(
      (await provenanceRepository.harvests(manager, harvestIds)).map((h) => [h.id, h]),
    );
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
    const lot = await provenanceRepository.lotHeader(manager, lotId);
    if (!lot) throw new Error(`lot ${lotId} vanished while building its provenance`);

    const lots = await this.upstreamLots(manager, lotId);
    const inputs = lots.flatMap((l) => l.inputs.flatMap((i) => (i.harvestId ? [i] : [])));
    const harvests = await provenanceRepository.harvests(manager, [
      ...new Set(inputs.map((i) => i.harvestId!)),
    ]);
    const zoneIds = [...new Set(harvests.flatMap((h) => (h.zone_id ? [h.zone_id] : [])))];
    const certificates = await provenanceRepository.zoneCertificates(manager, zoneIds);
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
      partnerEvents: (
        await provenanceRepository.partnerEvents(manager, [
          ...lots.map((l) => l.id),
          ...inputs.map((i) => i.harvestId!),
        ])
      ).map((e) => ({
        bizStep: e.biz_step.replace(/^https:\/\/ref\.gs1\.org\/cbv\/BizStep-/, ''),
        eventTime: e.event_time.toISOString(),
        by: e.organisation,
      })),
      log: await this.log.forPage(manager, [
        ...lots.map((l) => l.id),
        ...inputs.map((i) => i.harvestId!),
      ]),
      updatedAt: new Date().toISOString(),
    };
    document.passport = passportOf(document);
    await provenanceRepository.store(manager, lotId, lot, document);
    return document;
  }

  /** The product's OCOP rating; the page shows the stars only while the certificate is valid. */
  private async ocop(manager: EntityManager, lotId: string): Promise<ProvenanceDocument['ocop']> {
    const row = await provenanceRepository.ocop(manager, lotId);
    return row ? { stars: ocopStars(row.score), validTo: ocopValidTo(row.certified_on) } : null;
  }

  /** The buyer and contract, once the buyer has confirmed receiving the lot. */
  private async delivery(
    manager: EntityManager,
    lotId: string,
  ): Promise<ProvenanceDocument['delivery']> {
    const row = await provenanceRepository.receivedDelivery(manager, lotId);
    return row
      ? {
          buyer: row.buyer,
          contract: row.contract,
          deliveredOn: row.delivered_on,
          receivedOn: row.received_on,
        }
      : null;
  }

  /**
   * Refreshes every stored document a registry change shows through: the lots made from the
   * harvests of the plots it touches, however far down. Registered as a listener of
   * `RegistryEvents`, so each registry writer only says what changed.
   */
  async onRegistryEvent(manager: EntityManager, event: RegistryEvent): Promise<void> {
    const lots = await this.lotsShowing(manager, event);
    for (const lotId of lots) await this.rebuild(manager, lotId);
  }

  private lotsShowing(manager: EntityManager, event: RegistryEvent): Promise<string[]> {
    switch (event.kind) {
      case 'zone.changed':
        return provenanceRepository.lotsMadeFrom(manager, { zoneId: event.zoneId });
      case 'certificate.changed':
        return provenanceRepository.lotsMadeFrom(manager, {
          certificationId: event.certificationId,
        });
      case 'cooperative.changed':
        return provenanceRepository.lotsMadeFrom(manager, { cooperativeId: event.cooperativeId });
      case 'household.changed':
        return provenanceRepository.lotsMadeFrom(manager, { householdId: event.householdId });
      case 'plot.changed':
        return provenanceRepository.lotsMadeFrom(manager, { plotId: event.plotId });
      case 'buyer.changed':
        // The pages of lots a buyer received name it.
        return provenanceRepository.lotsDeliveredTo(manager, event.buyerId);
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
}

/** The passport's fields, gathered from the document itself so the two never disagree. */
function passportOf(d: ProvenanceDocument): NonNullable<ProvenanceDocument['passport']> {
  return {
    identifier: epcClassOfLot(d.lot.code, d.lot.gtin),
    name: { vi: d.lot.product.vi, en: d.lot.product.en },
    gtin: d.lot.gtin,
    maker: { ...d.cooperative },
    origin: {
      country: 'VN',
      province: d.cooperative.province,
      commune: d.cooperative.commune,
      zones: d.zones.map((z) => z.code),
    },
    certificates: d.zones.flatMap((z) =>
      z.certificates.map(({ number, body, standard, validFrom, validTo }) => ({
        number,
        body,
        standard,
        validFrom,
        validTo,
      })),
    ),
    dates: {
      harvestedFrom: d.harvest?.from ?? null,
      harvestedTo: d.harvest?.to ?? null,
      producedOn: d.lot.producedOn,
    },
    trace: {
      steps: d.steps.length,
      eventIds: [...(d.log?.events.map((e) => e.eventID) ?? []), ...(d.log?.pending ?? [])],
    },
  };
}

function lastInEffect<T extends { effectiveOn: string }>(changes: T[], on: string): T | undefined {
  return changes.filter((c) => c.effectiveOn <= on).at(-1);
}
