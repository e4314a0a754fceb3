import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import {
  can,
  maskPhone,
  todayIso,
  type ConsentDto,
  type ConsentRecordDto,
  type CreateHouseholdDto,
  type HouseholdDto,
  type HouseholdRevisionDto,
  type HouseholdListQuery,
  type LeaveHouseholdDto,
  type Page,
  type UpdateHouseholdDto,
} from '@huuco/domain';
import type { DataSource, EntityManager } from 'typeorm';
import { AuditService } from '../../access/audit/audit.service.js';
import type { Actor } from '../../access/auth/actor.js';
import { cooperativeWritable } from '../../access/auth/record-scope.js';
import {
  DomainError,
  fieldError,
  notFound,
  referenceNotFound,
} from '../../platform/http/domain-error.js';
import { RegistryEvents } from '../../platform/events/registry-events.js';
import type { HouseholdConsent } from './household-consent.entity.js';
import type { Household } from './household.entity.js';
import { householdRepository } from './household.repository.js';
import { IdNumberCipher } from './id-number.cipher.js';

@Injectable()
export class HouseholdService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly cipher: IdNumberCipher,
    private readonly audit: AuditService,
    private readonly events: RegistryEvents,
  ) {}

  async create(actor: Actor, dto: CreateHouseholdDto): Promise<HouseholdDto> {
    const id = await this.db.transaction((manager) => this.register(manager, actor, dto));
    return this.get(actor, id);
  }

  /** Registers a household inside the caller's transaction (a form, an import); answers its id. */
  async register(manager: EntityManager, actor: Actor, dto: CreateHouseholdDto): Promise<string> {
    const cooperative = await householdRepository.cooperative(manager, dto.cooperativeId);
    if (!cooperative || !(await cooperativeWritable(manager, actor, cooperative.id))) {
      throw referenceNotFound('cooperativeId', 'Cooperative');
    }
    if (cooperative.status !== 'active') {
      throw fieldError(
        'COOPERATIVE_INACTIVE',
        'cooperativeId',
        `${cooperative.name} is inactive and takes no new members.`,
      );
    }
    const commune = await householdRepository.commune(manager, dto.communeId);
    if (!commune || commune.level !== 'commune') throw referenceNotFound('communeId', 'Commune');

    const { idNumber, ...rest } = dto;
    if (await householdRepository.anyWithIdHash(manager, this.cipher.allHashes(idNumber))) {
      throw fieldError(
        'HOUSEHOLD_ID_NUMBER_TAKEN',
        'idNumber',
        'A household with this ID number is registered.',
      );
    }
    const sealed = this.cipher.seal(idNumber);
    // Codes are given one at a time per cooperative, so two at once never take the same one.
    await householdRepository.lockCooperative(manager, dto.cooperativeId);
    const saved = await householdRepository.insert(manager, {
      ...rest,
      code: dto.code ?? (await householdRepository.nextCode(manager, dto.cooperativeId)),
      idNumberCiphertext: sealed.ciphertext,
      idNumberKeyId: sealed.keyId,
      idNumberHash: sealed.hash,
      idNumberMasked: sealed.masked,
      consentPublicDisplay: dto.consentPublicDisplay,
      consentRecordedAt: dto.consentPublicDisplay ? new Date() : null,
    });
    await householdRepository.recordRevision(manager, saved, actor.username);
    if (dto.consentPublicDisplay) {
      await householdRepository.recordConsent(
        manager,
        saved.id,
        { scope: 'name_on_provenance_page', evidence: 'recorded at registration' },
        { recordedBy: actor.id, recordedByUsername: actor.username },
      );
    }
    await this.audit.record(manager, actor, {
      action: 'household.create',
      entity: 'household',
      entityId: saved.id,
      after: { ...rest, idNumberHash: sealed.hash },
    });
    return saved.id;
  }

  list(actor: Actor, query: HouseholdListQuery): Promise<Page<HouseholdDto>> {
    return householdRepository.page(this.db.manager, actor, query, (rows) =>
      this.toDtos(actor, rows),
    );
  }

  async get(actor: Actor, id: string): Promise<HouseholdDto> {
    const household = await this.findInScope(this.db.manager, actor, id);
    const [dto] = await this.toDtos(actor, [household]);
    return dto!;
  }

  async revealId(
    actor: Actor,
    id: string,
    reason: string,
  ): Promise<{ id: string; idNumber: string }> {
    return this.db.transaction(async (manager) => {
      const household = await householdRepository.findSealed(manager, id);
      if (!household || !(await cooperativeWritable(manager, actor, household.cooperativeId))) {
        throw notFound('Household', id);
      }
      await this.audit.record(manager, actor, {
        action: 'household.reveal_id',
        entity: 'household',
        entityId: id,
        details: { reason },
      });
      return {
        id,
        idNumber: this.cipher.open(household.idNumberCiphertext, household.idNumberKeyId),
      };
    });
  }

  /** Every version of the name, contacts and membership; phones only for those who see them. */
  async revisions(actor: Actor, id: string): Promise<HouseholdRevisionDto[]> {
    await this.findInScope(this.db.manager, actor, id);
    const seesPhones = can(actor.role, 'households.phone');
    return (await householdRepository.revisions(this.db.manager, id)).map((r) => ({
      revision: r.revision,
      code: r.code,
      headName: r.head_name,
      phone: seesPhones ? r.phone : null,
      phoneMasked: r.phone === null ? null : maskPhone(r.phone),
      village: r.village,
      leftOn: r.left_on,
      leftReason: r.left_reason,
      recordedBy: r.recorded_by_username,
      recordedAt: r.recorded_at.toISOString(),
    }));
  }

  async consents(actor: Actor, id: string): Promise<ConsentRecordDto[]> {
    await this.findInScope(this.db.manager, actor, id);
    const records = await householdRepository.consents(this.db.manager, id);
    return records.map(toConsentDto);
  }

  async recordConsent(actor: Actor, id: string, dto: ConsentDto): Promise<ConsentRecordDto> {
    return this.db.transaction(async (manager) => {
      const household = await this.findInScope(manager, actor, id, true);
      const saved = await householdRepository.insertConsent(manager, id, dto, {
        recordedBy: actor.id,
        recordedByUsername: actor.username,
      });
      await this.audit.record(manager, actor, {
        action: 'household.consent_given',
        entity: 'household',
        entityId: household.id,
        after: saved,
        details: { scope: dto.scope },
      });
      // Public pages name the household head only while consent stands.
      await this.events.emit(manager, { kind: 'household.changed', householdId: id });
      return toConsentDto(saved);
    });
  }

  async revokeConsent(actor: Actor, id: string, consentId: string): Promise<ConsentRecordDto> {
    return this.db.transaction(async (manager) => {
      await this.findInScope(manager, actor, id, true);
      const consent = await householdRepository.standingConsent(manager, id, consentId);
      if (!consent) {
        throw new DomainError('CONSENT_NOT_FOUND', 'No standing consent with this id.', [
          {
            path: 'consentId',
            code: 'CONSENT_NOT_FOUND',
            message: 'No standing consent with this id.',
          },
        ]);
      }
      await householdRepository.revokeConsent(manager, consent, {
        revokedBy: actor.id,
        revokedByUsername: actor.username,
      });
      await this.audit.record(manager, actor, {
        action: 'household.consent_revoked',
        entity: 'household',
        entityId: id,
        after: consent,
        details: { scope: consent.scope },
      });
      await this.events.emit(manager, { kind: 'household.changed', householdId: id });
      return toConsentDto(consent);
    });
  }

  /** Name, phone or village corrected; the audit keeps digests of before and after. */
  async update(actor: Actor, id: string, dto: UpdateHouseholdDto): Promise<HouseholdDto> {
    await this.db.transaction((manager) => this.correct(manager, actor, id, dto));
    return this.get(actor, id);
  }

  /** A correction inside the caller's transaction (a form, an import). */
  async correct(
    manager: EntityManager,
    actor: Actor,
    id: string,
    dto: UpdateHouseholdDto,
  ): Promise<void> {
    const household = await this.findInScope(manager, actor, id, true);
    const before = {
      code: household.code,
      headName: household.headName,
      phone: household.phone,
      village: household.village,
    };
    await householdRepository.update(manager, household, dto, actor.username);
    await this.audit.record(manager, actor, {
      action: 'household.update',
      entity: 'household',
      entityId: id,
      before,
      after: { ...before, ...dto },
      details: { changed: Object.keys(dto) },
    });
    await this.events.emit(manager, { kind: 'household.changed', householdId: id });
  }

  /** The household left the cooperative: from that day on, nothing more is recorded for it. */
  async leave(actor: Actor, id: string, dto: LeaveHouseholdDto): Promise<HouseholdDto> {
    await this.db.transaction(async (manager) => {
      const household = await this.findInScope(manager, actor, id, true);
      if (household.leftOn !== null) {
        throw fieldError('HOUSEHOLD_LEFT', 'leftOn', `The household left on ${household.leftOn}.`, {
          leftOn: household.leftOn,
        });
      }
      if (dto.leftOn < household.joinedOn || dto.leftOn > todayIso()) {
        throw fieldError(
          'VALIDATION_FAILED',
          'leftOn',
          `Between joining (${household.joinedOn}) and today.`,
        );
      }
      await householdRepository.update(
        manager,
        household,
        { leftOn: dto.leftOn, leftReason: dto.reason },
        actor.username,
      );
      await this.audit.record(manager, actor, {
        action: 'household.leave',
        entity: 'household',
        entityId: id,
        details: { leftOn: dto.leftOn, reason: dto.reason },
      });
      await this.events.emit(manager, { kind: 'household.changed', householdId: id });
    });
    return this.get(actor, id);
  }

  private async findInScope(
    manager: EntityManager,
    actor: Actor,
    id: string,
    forWrite = false,
  ): Promise<Household> {
    const household = await householdRepository.find(manager, actor, id);
    const visible =
      household !== null &&
      (!forWrite || (await cooperativeWritable(manager, actor, household.cooperativeId)));
    if (!visible) throw notFound('Household', id);
    return household;
  }

  private async toDtos(actor: Actor, households: Household[]): Promise<HouseholdDto[]> {
    if (households.length === 0) return [];
    const counts = await householdRepository.plotCounts(this.db.manager, households);
    const seesPhones = can(actor.role, 'households.phone');
    return households.map((h) => ({
      id: h.id,
      code: h.code,
      headName: h.headName,
      idNumberMasked: h.idNumberMasked,
      phone: seesPhones ? h.phone : null,
      phoneMasked: h.phone === null ? null : maskPhone(h.phone),
      village: h.village,
      communeId: h.communeId,
      cooperativeId: h.cooperativeId,
      joinedOn: h.joinedOn,
      leftOn: h.leftOn,
      leftReason: h.leftReason,
      consentPublicDisplay: h.consentPublicDisplay,
      plotCount: counts.find((row) => row.household_id === h.id)?.n ?? 0,
      isDemo: h.isDemo,
    }));
  }
}

function toConsentDto(c: HouseholdConsent): ConsentRecordDto {
  return {
    id: c.id,
    scope: c.scope,
    evidence: c.evidence,
    recordedBy: c.recordedByUsername ?? 'unknown',
    recordedAt: c.recordedAt.toISOString(),
    revokedBy: c.revokedByUsername,
    revokedAt: c.revokedAt?.toISOString() ?? null,
  };
}
