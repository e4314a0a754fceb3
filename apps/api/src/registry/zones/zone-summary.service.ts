import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { areaInUnits, todayIso, type ZoneSummaryDto } from '@huuco/domain';
import type { DataSource } from 'typeorm';
import { notFound } from '../../platform/http/domain-error.js';
import { OrganicStatusService } from '../plots/organic-status.service.js';
import { zoneRepository } from './zone.repository.js';

/** Counts and areas for a zone's panel; the certified area follows each plot's derived status today. */
@Injectable()
export class ZoneSummaryService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly statuses: OrganicStatusService,
  ) {}

  async summarise(id: string): Promise<ZoneSummaryDto> {
    const zone = await zoneRepository.find(this.db.manager, id);
    if (!zone) throw notFound('Zone', id);
    const plots = await zoneRepository.plots(this.db.manager, id);
    const today = todayIso();
    const verdicts = await this.statuses.derive(
      plots.map((p) => ({
        id: p.id,
        zoneId: p.zone_id,
        conversionStartedOn: p.conversion_started_on,
      })),
      today,
    );
    const plotArea = plots.reduce((sum, p) => sum + Number(p.area_m2), 0);
    const certifiedArea = plots
      .filter((p) => verdicts.get(p.id)?.status === 'certified')
      .reduce((sum, p) => sum + Number(p.area_m2), 0);
    const certificates = await zoneRepository.certificates(this.db.manager, id);
    const current =
      certificates.find((c) => c.validFrom <= today && today <= c.validTo) ?? certificates[0];
    return {
      zoneId: id,
      plots: plots.length,
      households: new Set(plots.map((p) => p.household_id)).size,
      plotArea: areaInUnits(plotArea),
      certifiedArea: areaInUnits(certifiedArea),
      targetArea: zone.targetAreaM2 === null ? null : areaInUnits(zone.targetAreaM2),
      certificate: current
        ? {
            certificateNumber: current.certificateNumber,
            body: current.body,
            validFrom: current.validFrom,
            validTo: current.validTo,
            validToday: current.validFrom <= today && today <= current.validTo,
          }
        : null,
    };
  }
}
