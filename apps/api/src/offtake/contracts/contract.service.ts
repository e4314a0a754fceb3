import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import {
  CONTRACT_TRANSITIONS,
  ProductCategory,
  todayIso,
  type ContractCoverageDto,
  type ContractDto,
  type ContractListQuery,
  type ContractStatusChangeDto,
  type CreateContractDto,
  type FulfilmentRow,
  type Page,
} from '@huuco/domain';
import type { DataSource, EntityManager } from 'typeorm';
import { AuditService } from '../../access/audit/audit.service.js';
import type { Actor } from '../../access/auth/actor.js';
import { cooperativeWritable } from '../../access/auth/record-scope.js';
import type { AttachedDocument } from '../../platform/files/attached-document.js';
import { fieldError, notFound } from '../../platform/http/domain-error.js';
import { seasonLabel } from '../../trace/catalogue/season-label.js';
import { contractRepository, fulfilmentOf } from './contract.repository.js';
import { OrganicStatusService } from '../../registry/plots/organic-status.service.js';

/** Offtake contracts (hợp đồng bao tiêu) between a buyer and a cooperative, and their fulfilment. */
@Injectable()
export class ContractService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly audit: AuditService,
    private readonly statuses: OrganicStatusService,
  ) {}

  async create(actor: Actor, dto: CreateContractDto): Promise<ContractDto> {
    if (!(ProductCategory as readonly string[]).includes(dto.productCategory)) {
      throw fieldError(
        'VALIDATION_FAILED',
        'productCategory',
        `One of: ${ProductCategory.join(', ')}.`,
      );
    }
    const id = await this.db.transaction(async (manager) => {
      if (!(await cooperativeWritable(manager, actor, dto.cooperativeId))) {
        throw fieldError('REFERENCE_NOT_FOUND', 'cooperativeId', 'No cooperative with this id.');
      }
      for (const [path, table, value] of [
        ['buyerId', 'buyers', dto.buyerId],
        ['seasonId', 'seasons', dto.seasonId],
        ['zoneId', 'zones', dto.zoneId],
      ] as const) {
        if (value === null) continue;
        if (!(await contractRepository.exists(manager, table, value)))
          throw fieldError('REFERENCE_NOT_FOUND', path, 'No record with this id.');
      }
      if (dto.plotIds.length) {
        const own = await contractRepository.countOwnPlots(manager, dto.plotIds, dto.cooperativeId);
        if (own !== new Set(dto.plotIds).size) {
          throw fieldError(
            'CONTRACT_SCOPE_INVALID',
            'plotIds',
            'Every plot must be the cooperative’s own.',
          );
        }
      }
      const contractId = await contractRepository.insert(manager, dto);
      await this.audit.record(manager, actor, {
        action: 'contract.create',
        entity: 'contract',
        entityId: contractId,
        after: dto,
      });
      return contractId;
    });
    return this.get(actor, id);
  }

  async get(
    actor: Actor,
    id: string,
    manager: EntityManager = this.db.manager,
  ): Promise<ContractDto> {
    const contract = await contractRepository.find(manager, actor, id);
    if (!contract) throw notFound('Contract', id);
    return contract;
  }

  list(actor: Actor, query: ContractListQuery): Promise<Page<ContractDto>> {
    return contractRepository.page(this.db.manager, actor, query);
  }

  /** draft → signed → active → fulfilled; cancelled from any but the last two. */
  async changeStatus(actor: Actor, id: string, dto: ContractStatusChangeDto): Promise<ContractDto> {
    await this.db.transaction(async (manager) => {
      // Locked first, so the status read is the one the change applies to.
      await contractRepository.lock(manager, actor, id);
      const contract = await this.get(actor, id, manager);
      if (!(await cooperativeWritable(manager, actor, contract.cooperativeId)))
        throw notFound('Contract', id);
      const status = contract.status;
      if (!CONTRACT_TRANSITIONS[status].includes(dto.status)) {
        throw fieldError(
          'CONTRACT_STATUS_TRANSITION_INVALID',
          'status',
          `A ${status} contract cannot become ${dto.status}${CONTRACT_TRANSITIONS[status].length ? ` (only ${CONTRACT_TRANSITIONS[status].join(', ')})` : ''}.`,
          { from: status, to: dto.status },
        );
      }
      const signedOn = dto.status === 'signed' ? dto.signedOn : contract.signedOn;
      if (dto.status === 'signed' && !signedOn) {
        throw fieldError('VALIDATION_FAILED', 'signedOn', 'Say when the contract was signed.');
      }
      if (signedOn && signedOn > todayIso()) {
        throw fieldError(
          'VALIDATION_FAILED',
          'signedOn',
          'A contract cannot be signed in the future.',
        );
      }
      await contractRepository.setStatus(manager, contract, dto.status, signedOn);
      await this.audit.record(manager, actor, {
        action: `contract.${dto.status}`,
        entity: 'contract',
        entityId: id,
        before: { status },
        after: { status: dto.status },
        details: dto.reason ? { reason: dto.reason } : {},
      });
    });
    return this.get(actor, id);
  }

  /** The signed contract as an attachment, kept with its hash. */
  async attach(actor: Actor, id: string, document: AttachedDocument): Promise<ContractDto> {
    await this.db.transaction(async (manager) => {
      const contract = await this.get(actor, id, manager);
      if (!(await cooperativeWritable(manager, actor, contract.cooperativeId)))
        throw notFound('Contract', id);
      await contractRepository.documents.keep(manager, id, {
        ...document,
        username: actor.username,
      });
      await this.audit.record(manager, actor, {
        action: 'contract.document',
        entity: 'contract',
        entityId: id,
        details: {
          sha256: document.sha256,
          sizeBytes: document.content.length,
          contentType: document.contentType,
        },
      });
    });
    return this.get(actor, id);
  }

  async document(
    actor: Actor,
    id: string,
  ): Promise<{ filename: string; contentType: string; content: Buffer }> {
    await this.get(actor, id);
    const document = await contractRepository.documents.read(this.db.manager, id);
    if (!document) throw fieldError('NOT_FOUND', 'document', 'No signed document is attached yet.');
    return document;
  }

  /** Contracted, expected and delivered per cooperative and season, within the viewer's scope. */
  async fulfilment(
    actor: Actor,
    filter: { seasonId?: string; cooperativeId?: string },
  ): Promise<FulfilmentRow[]> {
    const rows = await contractRepository.forFulfilment(this.db.manager, actor, filter);
    const groups = new Map<string, FulfilmentRow>();
    const targets = new Map<string, number>();
    for (const row of rows) {
      const f = fulfilmentOf(row);
      const key = `${row.cooperative_id}:${row.season_id}`;
      const group = groups.get(key) ?? {
        cooperativeId: row.cooperative_id,
        cooperativeName: row.cooperative_name,
        seasonId: row.season_id,
        seasonLabel: seasonLabel(row.season_year, row.season_name),
        contracts: 0,
        contractedKg: 0,
        expectedKg: 0,
        coveredAreaM2: 0,
        deliveredKg: 0,
        receivedKg: 0,
        deliveredValueVnd: 0,
        share: null,
      };
      group.contracts++;
      group.contractedKg = (group.contractedKg ?? 0) + (f.contractedKg ?? 0);
      group.expectedKg += f.expectedKg;
      group.coveredAreaM2 += f.coveredAreaM2;
      group.deliveredKg += f.deliveredKg;
      group.receivedKg += f.receivedKg;
      group.deliveredValueVnd += f.deliveredValueVnd;
      groups.set(key, group);
      targets.set(key, (targets.get(key) ?? 0) + (f.contractedKg ?? f.expectedKg));
    }
    return [...groups.values()]
      .map((g) => {
        const target = targets.get(`${g.cooperativeId}:${g.seasonId}`) ?? 0;
        return { ...g, share: target > 0 ? g.deliveredKg / target : null };
      })
      .sort(
        (a, b) =>
          a.cooperativeName.localeCompare(b.cooperativeName) ||
          b.seasonLabel.localeCompare(a.seasonLabel),
      );
  }

  /** The share of certified organic area, today, that signed or active whole-area contracts cover. */
  async coverage(actor: Actor): Promise<ContractCoverageDto> {
    const plots = await contractRepository.coveragePlots(this.db.manager, actor);
    const verdicts = await this.statuses.derive(
      plots.map((p) => ({
        id: p.id,
        zoneId: p.zone_id,
        conversionStartedOn: p.conversion_started_on,
      })),
      todayIso(),
    );
    let organicAreaM2 = 0;
    let contractedAreaM2 = 0;
    for (const plot of plots) {
      if (verdicts.get(plot.id)?.status !== 'certified') continue;
      organicAreaM2 += Number(plot.area_m2);
      if (plot.contracted) contractedAreaM2 += Number(plot.area_m2);
    }
    return {
      organicAreaM2: Math.round(organicAreaM2),
      contractedAreaM2: Math.round(contractedAreaM2),
      share: organicAreaM2 > 0 ? contractedAreaM2 / organicAreaM2 : null,
    };
  }
}
