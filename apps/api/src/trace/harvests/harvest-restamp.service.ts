import { Injectable } from '@nestjs/common';
import { lotIsOrganic } from '@huuco/domain';
import type { EntityManager } from 'typeorm';
import { RegistryEvents, type RegistryEvent } from '../../platform/events/registry-events.js';
import { OrganicStatusService } from '../../registry/plots/organic-status.service.js';
import {
  epcClassOfHarvest,
  eventTimeOn,
  kilograms,
  plotLocation,
  VIETNAM_OFFSET,
} from '../events/epcis.js';
import { EventStore } from '../events/event-store.js';

interface HarvestFacts {
  id: string;
  plot_id: string;
  plot_code: string;
  zone_id: string | null;
  conversion_started_on: string | null;
  cooperative_id: string;
  harvested_on: string;
  quantity_kg: string;
  category: string;
  organic_status: string;
}

/**
 * Retroactive findings flow downstream (rules 2, 4 and 5): when a zone's status or a
 * certificate's standing changes from a date already past, every harvest it touches is
 * derived again for its own day. Those whose status changed are re-stamped by a correction
 * event that points at their first one, and the lots made from them, however far down, are
 * organic again only if every input still is. Their pages are rebuilt next, by the read-model
 * listeners.
 */
@Injectable()
export class HarvestRestamp {
  constructor(
    private readonly statuses: OrganicStatusService,
    private readonly events: EventStore,
    registry: RegistryEvents,
  ) {
    registry.listen('facts', (manager, event) => this.onRegistryEvent(manager, event));
  }

  async onRegistryEvent(manager: EntityManager, event: RegistryEvent): Promise<void> {
    if (event.kind === 'zone.changed') await this.restamp(manager, 'p.zone_id = $1', event.zoneId);
    if (event.kind === 'plot.changed') await this.restamp(manager, 'p.id = $1', event.plotId);
    if (event.kind === 'certificate.changed') {
      await this.restamp(
        manager,
        'p.zone_id = (SELECT zone_id FROM certifications WHERE id = $1)',
        event.certificationId,
      );
    }
  }

  private async restamp(manager: EntityManager, plotCondition: string, value: string) {
    const harvests = await manager.query<HarvestFacts[]>(
      `SELECT h.id, h.plot_id, p.code AS plot_code, p.zone_id,
              to_char(p.conversion_started_on, 'YYYY-MM-DD') AS conversion_started_on,
              h.cooperative_id, to_char(h.harvested_on, 'YYYY-MM-DD') AS harvested_on,
              h.quantity_kg, pr.category, h.organic_status
         FROM harvests h JOIN plots p ON p.id = h.plot_id JOIN products pr ON pr.id = h.product_id
        WHERE ${plotCondition}
        ORDER BY h.harvested_on, h.id
        FOR UPDATE OF h`,
      [value],
    );
    const changed: string[] = [];
    for (const day of new Set(harvests.map((h) => h.harvested_on))) {
      const ofDay = harvests.filter((h) => h.harvested_on === day);
      const verdicts = await this.statuses.derive(
        ofDay.map((h) => ({
          id: h.plot_id,
          zoneId: h.zone_id,
          conversionStartedOn: h.conversion_started_on,
        })),
        day,
        manager,
      );
      for (const harvest of ofDay) {
        const verdict = verdicts.get(harvest.plot_id)!;
        if (verdict.status === harvest.organic_status) continue;
        await manager.query(
          'UPDATE harvests SET organic_status = $2, organic_status_reason = $3 WHERE id = $1',
          [harvest.id, verdict.status, verdict.reason],
        );
        const [original] = await manager.query<{ seq: string }[]>(
          `SELECT seq FROM events WHERE lot_ids @> ARRAY[$1]::uuid[] AND biz_step = 'commissioning' ORDER BY seq LIMIT 1`,
          [harvest.id],
        );
        await this.events.append(manager, {
          body: {
            type: 'ObjectEvent',
            eventTime: eventTimeOn(harvest.harvested_on),
            eventTimeZoneOffset: VIETNAM_OFFSET,
            action: 'ADD',
            bizStep: 'commissioning',
            disposition: 'active',
            quantityList: [kilograms(epcClassOfHarvest(harvest.id), Number(harvest.quantity_kg))],
            readPoint: { id: plotLocation(harvest.plot_code) },
            ilmd: {
              'cbvmda:harvestEndDate': harvest.harvested_on,
              'cbvmda:countryOfOrigin': 'VN',
              'huuco:product': harvest.category,
              'huuco:organicStatus': verdict.status,
              'huuco:organicStatusReason': verdict.reason,
            },
            'huuco:correction': true,
          },
          lotIds: [harvest.id],
          cooperativeId: harvest.cooperative_id,
          actorUsername: 'huuco',
          why: `Re-stamped: ${verdict.message}`,
          correctsSeq: original ? Number(original.seq) : null,
        });
        changed.push(harvest.id);
      }
    }
    if (changed.length) await this.reassessLots(manager, changed);
  }

  /** Lots made from these harvests, top-down: organic only if every input still is. */
  private async reassessLots(manager: EntityManager, harvestIds: string[]): Promise<void> {
    const lots = await manager.query<{ id: string; transformation_id: string }[]>(
      `WITH RECURSIVE down(id, depth) AS (
         SELECT l.id, 1 FROM transformation_inputs ti
           JOIN lots l ON l.transformation_id = ti.transformation_id
          WHERE ti.harvest_id = ANY($1::uuid[])
         UNION
         SELECT l.id, d.depth + 1 FROM down d
           JOIN transformation_inputs ti ON ti.lot_id = d.id
           JOIN lots l ON l.transformation_id = ti.transformation_id
          WHERE d.depth < 50
       )
       SELECT l.id, l.transformation_id FROM lots l
        WHERE l.id IN (SELECT id FROM down)
        ORDER BY (SELECT max(depth) FROM down WHERE down.id = l.id), l.created_at`,
      [harvestIds],
    );
    for (const lot of lots) {
      const inputs = await manager.query<{ organic: boolean }[]>(
        `SELECT coalesce(h.organic_status = 'certified', il.organic) AS organic
           FROM transformation_inputs ti
           LEFT JOIN harvests h ON h.id = ti.harvest_id
           LEFT JOIN lots il ON il.id = ti.lot_id
          WHERE ti.transformation_id = $1`,
        [lot.transformation_id],
      );
      await manager.query('UPDATE lots SET organic = $2 WHERE id = $1', [
        lot.id,
        lotIsOrganic(inputs),
      ]);
    }
  }
}
