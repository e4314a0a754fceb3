import { Injectable } from '@nestjs/common';
import { lotIsOrganic } from '@huuco/domain';
import type { EntityManager } from 'typeorm';
import { RegistryEvents, type RegistryEvent } from '../../platform/events/registry-events.js';
import { OrganicStatusService } from '../../registry/plots/organic-status.service.js';
import { EventStore } from '../events/event-store.js';
import { commissioningEvent } from './harvest-events.js';
import { lotRepository } from '../lots/lot.repository.js';
import { harvestRepository, type PlotReach } from './harvest.repository.js';

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
    if (event.kind === 'zone.changed') await this.restamp(manager, { zoneId: event.zoneId });
    if (event.kind === 'plot.changed')
      await this.restamp(manager, { plotId: event.plotId, cooperativeId: event.cooperativeId });
    if (event.kind === 'certificate.changed')
      await this.restamp(manager, { certificationId: event.certificationId });
  }

  private async restamp(manager: EntityManager, reach: PlotReach) {
    const harvests = await harvestRepository.lockReached(manager, reach);
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
        await harvestRepository.restamp(manager, harvest.id, verdict.status, verdict.reason);
        await this.events.append(manager, {
          body: commissioningEvent({
            harvestId: harvest.id,
            harvestedOn: harvest.harvested_on,
            quantityKg: Number(harvest.quantity_kg),
            plotCode: harvest.plot_code,
            category: harvest.category,
            verdict,
          }),
          lotIds: [harvest.id],
          cooperativeId: harvest.cooperative_id,
          actorUsername: 'huuco',
          why: `Re-stamped: ${verdict.message}`,
          correctsSeq: await harvestRepository.commissioningSeq(manager, harvest.id),
        });
        changed.push(harvest.id);
      }
    }
    if (changed.length) await this.reassessLots(manager, changed);
  }

  /** Lots made from these harvests, top-down: organic only if every input still is. */
  private async reassessLots(manager: EntityManager, harvestIds: string[]): Promise<void> {
    const lots = await lotRepository.madeFromHarvests(manager, harvestIds);
    for (const lot of lots) {
      const inputs = await lotRepository.inputsOrganic(manager, lot.transformation_id);
      await lotRepository.setOrganic(manager, lot.id, lotIsOrganic(inputs));
    }
  }
}
