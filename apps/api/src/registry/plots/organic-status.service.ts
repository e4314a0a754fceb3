import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import {
  certificateStandingOn,
  deriveOrganicStatus,
  zoneStatusOn,
  type CertificateDecision,
  type CertificateFacts,
  type IsoDate,
  type OrganicStatusVerdict,
  type ZoneStatus,
} from '@huuco/domain';
import type { DataSource, EntityManager } from 'typeorm';
import { AppConfig } from '../../platform/config/app-config.js';
import { bySubject, changesOf } from '../status-history.repository.js';
import { plotRepository } from './plot.repository.js';

export interface PlotStatusFacts {
  id: string;
  zoneId: string | null;
  conversionStartedOn: string | null;
}

/**
 * Derives rule 2 for many plots at once: one query each for zones, certificates and their
 * dated histories, so the status on a past date reads the facts in effect on it.
 */
@Injectable()
export class OrganicStatusService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly config: AppConfig,
  ) {}

  /** Inside a transaction pass its manager: the facts it has just written are read too. */
  async derive(
    plots: PlotStatusFacts[],
    on: IsoDate,
    manager: EntityManager = this.db.manager,
  ): Promise<Map<string, OrganicStatusVerdict>> {
    const zoneIds = [
      ...new Set(plots.map((p) => p.zoneId).filter((id): id is string => id !== null)),
    ];
    const zones = await plotRepository.statusZones(manager, zoneIds);
    const certificates = await plotRepository.certificates(manager, zoneIds);
    // Rule 2 on any date: the zone's status and the body's decisions in effect then.
    const zoneChanges = bySubject(
      await changesOf<ZoneStatus>(
        manager,
        'zone',
        zones.map((z) => z.id),
      ),
    );
    const decisions = bySubject(
      await changesOf<CertificateDecision>(
        manager,
        'certificate',
        certificates.map((c) => c.id),
      ),
    );
    const plotScoped = certificates.filter((c) => c.scope === 'plots').map((c) => c.id);
    const links = await plotRepository.certificatePlots(
      manager,
      plotScoped,
      plots.map((p) => p.id),
    );
    const covered = new Set(links.map((l) => `${l.certification_id}:${l.plot_id}`));
    // A major non-compliance open on that date suspends the plot until it is closed.
    const suspended = await plotRepository.openMajorFindings(
      manager,
      plots.map((p) => p.id),
      on,
    );

    return new Map(
      plots.map((plot) => {
        const found = zones.find((z) => z.id === plot.zoneId);
        const zone = found
          ? {
              kind: found.kind,
              status: zoneStatusOn(found.initialStatus, zoneChanges.get(found.id) ?? [], on),
            }
          : null;
        const applicable: CertificateFacts[] = certificates
          .filter(
            (c) =>
              c.zoneId === plot.zoneId && (c.scope === 'zone' || covered.has(`${c.id}:${plot.id}`)),
          )
          .map((c) => ({ ...c, standing: certificateStandingOn(decisions.get(c.id) ?? [], on) }));
        const verdict = deriveOrganicStatus({
          on,
          zone,
          conversionStartedOn: plot.conversionStartedOn,
          conversionMonths: this.config.conversionMonths,
          certificates: applicable,
          openMajorNonCompliance: suspended.has(plot.id),
        });
        return [plot.id, verdict];
      }),
    );
  }
}
