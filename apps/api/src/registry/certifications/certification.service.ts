import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import {
  CERTIFICATE_TRANSITIONS,
  certificateStandingOn,
  todayIso,
  type CertificateDecision,
  type CertificateDecisionDto,
  type CertificateDecisionInput,
  type CertificationDto,
  type CertificationListQuery,
  type CreateCertificationDto,
  type Page,
} from '@huuco/domain';
import type { DataSource } from 'typeorm';
import { AuditService } from '../../access/audit/audit.service.js';
import type { Actor } from '../../access/auth/actor.js';
import type { AttachedDocument } from '../../platform/files/attached-document.js';
import {
  DomainError,
  fieldError,
  notFound,
  referenceNotFound,
} from '../../platform/http/domain-error.js';
import { zoneRepository } from '../zones/zone.repository.js';
import { RegistryEvents } from '../../platform/events/registry-events.js';
import {
  bySubject,
  changeById,
  changesOf,
  recordNextChange,
  toChangeDto,
} from '../status-history.repository.js';
import type { Certification } from './certification.entity.js';
import { certificationRepository } from './certification.repository.js';

@Injectable()
export class CertificationService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly audit: AuditService,
    private readonly events: RegistryEvents,
  ) {}

  async create(actor: Actor, dto: CreateCertificationDto): Promise<CertificationDto> {
    if (dto.validTo < dto.validFrom) {
      throw new DomainError('DATE_RANGE_INVALID', 'validTo must not come before validFrom.', [
        { path: 'validTo', code: 'DATE_RANGE_INVALID', message: 'Must not come before validFrom.' },
      ]);
    }
    if ((dto.scope === 'plots') !== dto.plotIds.length > 0) {
      const message =
        'A certificate scoped to plots lists them; one scoped to the zone lists none.';
      throw new DomainError('CERTIFICATION_SCOPE_INVALID', message, [
        { path: 'plotIds', code: 'CERTIFICATION_SCOPE_INVALID', message },
      ]);
    }
    const id = await this.db.transaction(async (manager) => {
      const zone = await certificationRepository.zone(manager, dto.zoneId);
      if (!zone || !(await zoneRepository.inScope(manager, actor, zone.id)))
        throw referenceNotFound('zoneId', 'Zone');
      const plots = await certificationRepository.plots(manager, dto.plotIds);
      for (const [index, plotId] of dto.plotIds.entries()) {
        const plot = plots.find((p) => p.id === plotId);
        if (!plot) throw referenceNotFound(`plotIds.${index}`, 'Plot');
        if (plot.zoneId !== dto.zoneId) {
          const message = `Plot ${plot.code} is not in zone ${zone.code}.`;
          throw new DomainError('CERTIFICATION_SCOPE_INVALID', message, [
            { path: `plotIds.${index}`, code: 'CERTIFICATION_SCOPE_INVALID', message },
          ]);
        }
      }
      const { plotIds, ...fields } = dto;
      const saved = await certificationRepository.insert(manager, fields, plotIds);
      await this.audit.record(manager, actor, {
        action: 'certification.create',
        entity: 'certification',
        entityId: saved.id,
        after: dto,
      });
      await this.events.emit(manager, { kind: 'certificate.changed', certificationId: saved.id });
      return saved.id;
    });
    return this.get(id);
  }

  /**
   * The certification body's decision — suspended, withdrawn, reinstated — from a date, with
   * the reason and the body's document. Withdrawal is final. Plots' status on every date after
   * follows, and the pages of lots from the zone are refreshed in the same transaction.
   */
  async decide(
    actor: Actor,
    id: string,
    input: CertificateDecisionInput,
  ): Promise<CertificateDecisionDto> {
    const decisionId = await this.db.transaction(async (manager) => {
      const zoneId = await certificationRepository.lockZoneOf(manager, id);
      if (!zoneId || !(await zoneRepository.inScope(manager, actor, zoneId)))
        throw notFound('Certification', id);
      const { changeId: decisionId } = await recordNextChange<CertificateDecision | 'in_force'>(
        manager,
        'certificate',
        id,
        'in_force',
        input,
        CERTIFICATE_TRANSITIONS,
        'CERTIFICATE_DECISION_INVALID',
        actor.username,
      );
      await this.audit.record(manager, actor, {
        action: `certification.${input.status}`,
        entity: 'certification',
        entityId: id,
        details: {
          effectiveOn: input.effectiveOn,
          reason: input.reason,
          documentRef: input.documentRef,
        },
      });
      await this.events.emit(manager, { kind: 'certificate.changed', certificationId: id });
      return decisionId;
    });
    return (await changeById<CertificateDecision>(
      this.db.manager,
      'certificate',
      id,
      decisionId,
    )) as CertificateDecisionDto;
  }

  /** The certificate as the body issued it (PDF or scan), kept with its hash; a new one replaces it. */
  async attach(actor: Actor, id: string, document: AttachedDocument): Promise<CertificationDto> {
    await this.db.transaction(async (manager) => {
      const zoneId = await certificationRepository.lockZoneOf(manager, id);
      if (!zoneId || !(await zoneRepository.inScope(manager, actor, zoneId)))
        throw notFound('Certification', id);
      await certificationRepository.documents.keep(manager, id, {
        ...document,
        username: actor.username,
      });
      await this.audit.record(manager, actor, {
        action: 'certification.document',
        entity: 'certification',
        entityId: id,
        details: {
          sha256: document.sha256,
          sizeBytes: document.content.length,
          contentType: document.contentType,
        },
      });
    });
    return this.get(id);
  }

  async document(id: string): Promise<{ filename: string; contentType: string; content: Buffer }> {
    await this.get(id);
    const document = await certificationRepository.documents.read(this.db.manager, id);
    if (!document)
      throw fieldError('NOT_FOUND', 'document', 'No certificate document is attached yet.');
    return document;
  }

  async decisions(id: string): Promise<CertificateDecisionDto[]> {
    await this.get(id);
    return (await changesOf<CertificateDecision>(this.db.manager, 'certificate', [id])).map(
      (d) => toChangeDto(d) as CertificateDecisionDto,
    );
  }

  list(query: CertificationListQuery): Promise<Page<CertificationDto>> {
    return certificationRepository.page(this.db.manager, query, (rows) => this.toDtos(rows));
  }

  async get(id: string): Promise<CertificationDto> {
    const certification = await certificationRepository.find(this.db.manager, id);
    if (!certification) throw notFound('Certification', id);
    const [dto] = await this.toDtos([certification]);
    return dto!;
  }

  private async toDtos(certifications: Certification[]): Promise<CertificationDto[]> {
    if (certifications.length === 0) return [];
    const links = await certificationRepository.plotLinks(
      this.db.manager,
      certifications.map((c) => c.id),
    );
    const decisions = bySubject(
      await changesOf<CertificateDecision>(
        this.db.manager,
        'certificate',
        certifications.map((c) => c.id),
      ),
    );
    const documents = new Map(
      (
        await certificationRepository.documentsOf(
          this.db.manager,
          certifications.map((c) => c.id),
        )
      ).map((d) => [
        d.certification_id,
        {
          filename: d.filename,
          contentType: d.content_type,
          sizeBytes: Number(d.size_bytes),
          sha256: d.sha256,
        },
      ]),
    );
    const today = todayIso();
    return certifications.map((c) => ({
      id: c.id,
      zoneId: c.zoneId,
      guaranteeType: c.guaranteeType,
      standard: c.standard,
      body: c.body,
      certificateNumber: c.certificateNumber,
      validFrom: c.validFrom,
      validTo: c.validTo,
      scope: c.scope,
      plotIds: links.filter((l) => l.certificationId === c.id).map((l) => l.plotId),
      documentUrl: c.documentUrl,
      document: documents.get(c.id) ?? null,
      standing: certificateStandingOn(decisions.get(c.id) ?? [], today),
      isDemo: c.isDemo,
    }));
  }
}
