import { randomInt } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import {
  checkTransformation,
  lotIsOrganic,
  ocopStars,
  ocopValidTo,
  todayIso,
  type CreateLotsDto,
  type LotDto,
  type LotListQuery,
  type LotTraceDto,
  type Page,
  type TraceNode,
} from '@huuco/domain';
import type { DataSource, EntityManager } from 'typeorm';
import { AuditService } from '../../access/audit/audit.service.js';
import type { Actor } from '../../access/auth/actor.js';
import { cooperativeWritable } from '../../access/auth/record-scope.js';
import { DomainError, fieldError, notFound } from '../../platform/http/domain-error.js';
import { AppConfig } from '../../platform/config/app-config.js';
import {
  cooperativeLocation,
  epcClassOfHarvest,
  epcClassOfLot,
  eventTimeOn,
  kilograms,
  VIETNAM_OFFSET,
} from '../events/epcis.js';
import { EventStore } from '../events/event-store.js';
import { ProvenanceBuilder } from '../provenance/provenance.builder.js';
import { LabelSigner } from '../provenance/label-signer.js';
import { newLotCode, qrPng, qrSvg, type Pick } from './lot-codes.js';
import { lotRepository } from './lot.repository.js';

interface InputSource {
  index: number;
  kind: 'harvest' | 'lot';
  id: string;
  quantityKg: number;
  cooperativeId: string;
  category: string;
  organic: boolean;
  seasonId: string | null;
  epcClass: string;
}

/**
 * Lots and the transformations that make them (rule 3): a lot never takes more than what
 * remains of its inputs — checked by the database row by row, so parallel requests cannot
 * both take the last kilogram — and is organic only if every input is.
 */
@Injectable()
export class LotService {
  private pick: Pick = randomInt;

  /** The demo draws its lot codes from its own seed, so the same seed gives the same codes. */
  withCodesFrom<T>(pick: Pick, work: () => Promise<T>): Promise<T> {
    this.pick = pick;
    return work().finally(() => {
      this.pick = randomInt;
    });
  }

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly events: EventStore,
    private readonly audit: AuditService,
    private readonly signer: LabelSigner,
    private readonly provenance: ProvenanceBuilder,
    private readonly config: AppConfig,
  ) {}

  async create(actor: Actor, dto: CreateLotsDto): Promise<LotDto[]> {
    if (dto.occurredOn > todayIso()) {
      throw fieldError(
        'TRANSFORMATION_INVALID',
        'occurredOn',
        'A lot is recorded on or after the day it is made.',
      );
    }
    const seen = new Set<string>();
    dto.inputs.forEach((input, index) => {
      const key = input.harvestId ?? input.lotId!;
      if (seen.has(key))
        throw fieldError('VALIDATION_FAILED', `inputs.${index}`, 'This input is listed twice.');
      seen.add(key);
    });
    if ((dto.process === 'aggregation' || dto.process === 'packing') && dto.outputs.length !== 1) {
      throw fieldError(
        'TRANSFORMATION_INVALID',
        'outputs',
        'Aggregation and packing make one lot.',
      );
    }

    const ids = await this.db.transaction(async (manager) => {
      const sources = await this.consumeInputs(manager, actor, dto);
      const cooperativeId = sources[0]!.cooperativeId;
      const products = await lotRepository.products(
        manager,
        dto.outputs.map((o) => o.productId),
      );
      const outputs = dto.outputs.map((output, index) => {
        const product = products.find((p) => p.id === output.productId);
        if (!product)
          throw fieldError(
            'REFERENCE_NOT_FOUND',
            `outputs.${index}.productId`,
            'No product with this id.',
          );
        return { ...output, product };
      });
      this.checkBalance(dto, sources, outputs);

      const organic = lotIsOrganic(sources);
      const seasons = new Set(sources.map((s) => s.seasonId));
      const seasonId = seasons.size === 1 ? [...seasons][0]! : null;
      const transformationId = await lotRepository.insertTransformation(
        manager,
        { ...dto, cooperativeId },
        actor.username,
      );
      for (const source of sources)
        await lotRepository.insertInput(manager, transformationId, source);
      const made: { id: string; code: string; gtin: string | null; quantityKg: number }[] = [];
      for (const output of outputs) {
        const code = newLotCode(dto.process, dto.occurredOn, this.pick);
        const url = this.signer.urlFor(code, output.product.gtin);
        const lotId = await lotRepository.insert(manager, {
          code,
          productId: output.product.id,
          cooperativeId,
          seasonId,
          transformationId,
          quantityKg: output.quantityKg,
          organic,
          qrUrl: url,
          qrSvg: await qrSvg(url),
        });
        made.push({ id: lotId, code, gtin: output.product.gtin, quantityKg: output.quantityKg });
      }

      const registrationNumber = await lotRepository.registrationNumber(manager, cooperativeId);
      await this.events.append(manager, {
        body: {
          type: 'TransformationEvent',
          eventTime: eventTimeOn(dto.occurredOn),
          eventTimeZoneOffset: VIETNAM_OFFSET,
          inputQuantityList: sources.map((s) => kilograms(s.epcClass, s.quantityKg)),
          outputQuantityList: made.map((m) =>
            kilograms(epcClassOfLot(m.code, m.gtin), m.quantityKg),
          ),
          transformationID: `urn:huuco:transformation:${transformationId}`,
          bizStep: dto.process === 'packing' ? 'packing' : 'commissioning',
          disposition: 'active',
          bizLocation: { id: cooperativeLocation(registrationNumber) },
          ilmd: {
            'cbvmda:countryOfOrigin': 'VN',
            'huuco:organic': organic,
            'huuco:lotNumbers': made.map((m) => m.code),
          },
          'huuco:process': dto.process,
        },
        lotIds: [...made.map((m) => m.id), ...sources.map((s) => s.id)],
        cooperativeId,
        actorUsername: actor.username,
        why: dto.note,
      });
      for (const lot of made) await this.provenance.rebuild(manager, lot.id);
      await this.audit.record(manager, actor, {
        action: `lot.${dto.process}`,
        entity: 'lot',
        entityId: made[0]!.id,
        after: { ...dto, lots: made.map((m) => m.code) },
      });
      return made.map((m) => m.id);
    });
    return Promise.all(ids.map((id) => this.get(actor, id)));
  }

  /** Takes each input's quantity, atomically: the UPDATE matches only while enough remains. */
  private async consumeInputs(
    manager: EntityManager,
    actor: Actor,
    dto: CreateLotsDto,
  ): Promise<InputSource[]> {
    const sources: InputSource[] = [];
    // Rows are locked in one order whatever order the inputs are listed in, so two lots made
    // from the same harvests at once wait for each other instead of deadlocking.
    for (const [index, input] of lockOrder(dto.inputs)) {
      const path = `inputs.${index}`;
      if (input.harvestId) {
        const harvest = await lotRepository.harvestInput(manager, actor, input.harvestId);
        if (!harvest || !(await cooperativeWritable(manager, actor, harvest.cooperative_id))) {
          throw fieldError('REFERENCE_NOT_FOUND', `${path}.harvestId`, 'No harvest with this id.');
        }
        const take = await lotRepository.takeFromHarvest(manager, harvest, input.quantityKg);
        if (!take.taken) throw insufficient(path, take.remainingKg);
        sources.push({
          index,
          kind: 'harvest',
          id: harvest.id,
          quantityKg: input.quantityKg,
          cooperativeId: harvest.cooperative_id,
          category: harvest.category,
          organic: harvest.organic_status === 'certified',
          seasonId: harvest.season_id,
          epcClass: epcClassOfHarvest(harvest.id),
        });
      } else {
        const lot = await lotRepository.lotInput(manager, actor, input.lotId!);
        if (!lot || !(await cooperativeWritable(manager, actor, lot.cooperative_id))) {
          throw fieldError('REFERENCE_NOT_FOUND', `${path}.lotId`, 'No lot with this id.');
        }
        const take = await lotRepository.takeFromLot(manager, lot, input.quantityKg);
        if (!take.taken) {
          if (take.status === 'recalled' || take.status === 'shipped') {
            throw fieldError(
              'LOT_NOT_USABLE',
              `${path}.lotId`,
              `Lot ${lot.code} is ${take.status}; nothing can be made from it.`,
              { status: take.status },
            );
          }
          throw insufficient(path, take.remainingKg);
        }
        sources.push({
          index,
          kind: 'lot',
          id: lot.id,
          quantityKg: input.quantityKg,
          cooperativeId: lot.cooperative_id,
          category: lot.category,
          organic: lot.organic,
          seasonId: lot.season_id,
          epcClass: epcClassOfLot(lot.code, lot.gtin),
        });
      }
    }
    if (new Set(sources.map((s) => s.cooperativeId)).size > 1) {
      throw fieldError(
        'INPUTS_FROM_SEVERAL_COOPERATIVES',
        'inputs',
        'A lot is made by one cooperative from its own harvests and lots.',
      );
    }
    return sources.sort((a, b) => a.index - b.index);
  }

  private checkBalance(
    dto: CreateLotsDto,
    sources: InputSource[],
    outputs: { quantityKg: number; product: { category: string } }[],
  ): void {
    const inputKg = sources.reduce((sum, s) => sum + s.quantityKg, 0);
    const issues = checkTransformation(
      dto.process,
      sources.map((s) => s.category),
      inputKg,
      outputs.map((o) => ({ product: o.product.category, quantityKg: o.quantityKg })),
      this.config.millingRatio,
    );
    if (dto.process === 'aggregation' && Math.abs(outputs[0]!.quantityKg - inputKg) > 0.005) {
      throw fieldError(
        'TRANSFORMATION_INVALID',
        'outputs.0.quantityKg',
        `An aggregated lot weighs what its inputs weigh: ${inputKg} kg.`,
        {
          inputKg,
        },
      );
    }
    const ratio = issues.find((i) => i.code === 'MILLING_RATIO_OUT_OF_RANGE');
    if (ratio) {
      const { min, max } = this.config.millingRatio;
      throw fieldError(
        'MILLING_RATIO_OUT_OF_RANGE',
        'outputs',
        `Milled rice is ${(ratio.ratio * 100).toFixed(1)} % of the paddy; milling gives ${min * 100}–${max * 100} %.`,
        { ratio: ratio.ratio, min, max },
      );
    }
    if (issues.length) {
      throw new DomainError(
        'TRANSFORMATION_INVALID',
        'These outputs cannot come from these inputs.',
        issues.map((issue) => ({
          path:
            issue.code === 'PRODUCT_NOT_FROM_PROCESS'
              ? `outputs.${issue.index}.productId`
              : issue.code === 'OUTPUTS_EXCEED_INPUTS'
                ? 'outputs'
                : 'inputs',
          code: issue.code,
          message:
            issue.code === 'OUTPUTS_EXCEED_INPUTS'
              ? `Outputs weigh ${issue.outputKg} kg, more than the ${issue.inputKg} kg put in.`
              : issue.code === 'PRODUCT_NOT_FROM_PROCESS'
                ? `${dto.process} does not make ${issue.product}.`
                : `${dto.process} takes one kind of product (got ${'product' in issue ? issue.product : ''}).`,
        })),
      );
    }
  }

  async get(actor: Actor, id: string): Promise<LotDto> {
    const lot = await lotRepository.find(this.db.manager, actor, id);
    if (!lot) throw notFound('Lot', id);
    return lot;
  }

  list(actor: Actor, query: LotListQuery): Promise<Page<LotDto>> {
    return lotRepository.page(this.db.manager, actor, query);
  }

  /** One step back and one forward, all the way: every input down to the plots, every lot made from it. */
  async trace(actor: Actor, id: string): Promise<LotTraceDto> {
    const lot = await this.get(actor, id);
    const upstream = await this.provenance.upstreamTree(this.db.manager, id);
    const downstream = await lotRepository.downstream(this.db.manager, id);
    return {
      lot,
      upstream: upstream as TraceNode,
      downstream: downstream.map((d) => ({
        ...d,
        quantityKg: Number(d.quantity_kg),
        depth: Number(d.depth),
      })),
    };
  }

  async seal(actor: Actor, id: string): Promise<LotDto> {
    const lot = await this.get(actor, id);
    await this.db.transaction(async (manager) => {
      if (!(await cooperativeWritable(manager, actor, lot.cooperativeId)))
        throw notFound('Lot', id);
      if (!(await lotRepository.sealIfOpen(manager, id))) {
        throw fieldError(
          'LOT_STATUS_TRANSITION_INVALID',
          'status',
          `A ${lot.status} lot cannot be sealed; only an open one.`,
          {
            from: lot.status,
            to: 'sealed',
          },
        );
      }
      await this.events.append(manager, {
        body: {
          type: 'ObjectEvent',
          eventTime: new Date().toISOString(),
          eventTimeZoneOffset: VIETNAM_OFFSET,
          action: 'OBSERVE',
          bizStep: 'storing',
          disposition: 'sellable_not_accessible',
          quantityList: [kilograms(epcClassOfLot(lot.code, lot.gtin), lot.quantityKg)],
        },
        lotIds: [id],
        cooperativeId: lot.cooperativeId,
        actorUsername: actor.username,
      });
      await this.provenance.rebuild(manager, id);
      await this.audit.record(manager, actor, {
        action: 'lot.seal',
        entity: 'lot',
        entityId: id,
        before: lot,
      });
    });
    return this.get(actor, id);
  }

  /** Rule 5: the lot and every lot made from it, however far down, are recalled together. */
  async recall(actor: Actor, id: string, reason: string): Promise<{ recalled: LotDto[] }> {
    const lot = await this.get(actor, id);
    const recalledIds = await this.db.transaction(async (manager) => {
      if (!(await cooperativeWritable(manager, actor, lot.cooperativeId)))
        throw notFound('Lot', id);
      if (lot.status === 'recalled') {
        throw fieldError(
          'LOT_STATUS_TRANSITION_INVALID',
          'status',
          'This lot is already recalled.',
          { from: 'recalled', to: 'recalled' },
        );
      }
      const affected = await lotRepository.lockForRecall(manager, id);
      await lotRepository.markRecalled(
        manager,
        id,
        reason,
        affected.map((a) => a.id),
      );
      await this.events.append(manager, {
        body: {
          type: 'ObjectEvent',
          eventTime: new Date().toISOString(),
          eventTimeZoneOffset: VIETNAM_OFFSET,
          action: 'OBSERVE',
          bizStep: 'holding',
          disposition: 'recalled',
          quantityList: affected.map((a) =>
            kilograms(epcClassOfLot(a.code, a.gtin), Number(a.quantity_kg)),
          ),
          'huuco:recallOf': lot.code,
        },
        lotIds: affected.map((a) => a.id),
        cooperativeId: lot.cooperativeId,
        actorUsername: actor.username,
        why: reason,
      });
      for (const a of affected) await this.provenance.rebuild(manager, a.id);
      await this.audit.record(manager, actor, {
        action: 'lot.recall',
        entity: 'lot',
        entityId: id,
        details: { reason, lots: affected.map((a) => a.code) },
      });
      return affected.map((a) => a.id);
    });
    return { recalled: await Promise.all(recalledIds.map((rid) => this.get(actor, rid))) };
  }

  /** OCOP stars to print on each lot's label: only while the product's certificate is valid. */
  async validOcopStars(lots: LotDto[]): Promise<Map<string, number>> {
    const rows = await lotRepository.ocopProducts(this.db.manager, [
      ...new Set(lots.map((l) => l.productId)),
    ]);
    const today = todayIso();
    const stars = new Map<string, number>();
    for (const lot of lots) {
      const valid = rows.find(
        (r) =>
          r.product_id === lot.productId &&
          r.cooperative_id === lot.cooperativeId &&
          r.certified_on <= today &&
          today < ocopValidTo(r.certified_on),
      );
      if (valid) stars.set(lot.id, ocopStars(valid.score));
    }
    return stars;
  }

  async qrSvg(actor: Actor, id: string): Promise<string> {
    const lot = await this.get(actor, id);
    return lotRepository.qrSvg(this.db.manager, { id, cooperative_id: lot.cooperativeId });
  }

  /** PNGs cost a few milliseconds: made on first request and kept. */
  async qrPng(actor: Actor, id: string): Promise<Buffer> {
    const lot = await this.get(actor, id);
    const key = { id, cooperative_id: lot.cooperativeId };
    const kept = await lotRepository.qrPng(this.db.manager, key);
    if (kept) return kept;
    const png = await qrPng(lot.provenanceUrl);
    await lotRepository.keepQrPng(this.db.manager, key, png);
    return png;
  }
}

function insufficient(path: string, remainingKg: string): DomainError {
  const remaining = Number(remainingKg);
  return fieldError(
    'INSUFFICIENT_QUANTITY',
    `${path}.quantityKg`,
    `Only ${remaining} kg remain of this input.`,
    { remainingKg: remaining },
  );
}

/** The inputs with their positions, harvests before lots, each by id: the order rows are locked in. */
export function lockOrder<T extends { harvestId?: string | null; lotId?: string | null }>(
  inputs: readonly T[],
): [number, T][] {
  const key = (input: T) => (input.harvestId ? `h:${input.harvestId}` : `l:${input.lotId ?? ''}`);
  return [...inputs.entries()].sort(([, a], [, b]) =>
    key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0,
  );
}
