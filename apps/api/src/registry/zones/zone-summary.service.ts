import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { areaInUnits, todayIso, type ZoneSummaryDto } from '@huuco/domain';
import type { DataSource } from 'typeorm';
import { Certification } from '../certifications/certification.entity.js';
import { notFound } from '../../platform/http/domain-error.js';
import { OrganicStatusService } from '../plots/organic-status.service.js';
import { Zone } from './zone.entity.js';

/** Counts and areas for a zone's panel; the certified area follows each plot's derived status today. */
@Injectable()
export class ZoneSummaryService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly statuses: OrganicStatusService,
  ) {}

  async summarise(id: string): Promise<ZoneSummaryDto> {
    const zone = await this.db.getRepository(Zone).findOneBy({ id });
    if (!zone) throw notFound('Zone', id);
    const plots = await this.db.query<
      {
        id: string;
        zone_id: string;
        conversion_started_on: string | null;
        area_m2: string;
        household_id: string;
      }[]
    >(
      'SELECT id, zone_id, conversion_started_on, area_m2, household_id FROM plots WHERE zone_id = $1',
      [id],
    );
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
    const certificates = await this.db
      .getRepository(Certification)
      .find({ where: { zoneId: id }, order: { validTo: 'DESC' } });
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
