import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import {
  todayIso,
  type CreateOcopProductDto,
  type OcopListQuery,
  type OcopProductDto,
  type Page,
} from '@huuco/domain';
import type { DataSource } from 'typeorm';
import { AuditService } from '../../access/audit/audit.service.js';
import type { Actor } from '../../access/auth/actor.js';
import { cooperativeWritable } from '../../access/auth/record-scope.js';
import { fieldError } from '../../platform/http/domain-error.js';
import { ProvenanceBuilder } from '../../trace/provenance/provenance.builder.js';
import { ocopRepository } from './ocop.repository.js';

/** OCOP products: stars from the score, valid 36 months; lots of the product show the stars while valid. */
@Injectable()
export class OcopService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly audit: AuditService,
    private readonly provenance: ProvenanceBuilder,
  ) {}

  list(actor: Actor, query: OcopListQuery): Promise<Page<OcopProductDto>> {
    return ocopRepository.page(this.db.manager, actor, query);
  }

  async create(actor: Actor, dto: CreateOcopProductDto): Promise<OcopProductDto> {
    if (dto.certifiedOn > todayIso())
      throw fieldError(
        'VALIDATION_FAILED',
        'certifiedOn',
        'A certificate is dated on or before today.',
      );
    const id = await this.db.transaction(async (manager) => {
      if (!(await cooperativeWritable(manager, actor, dto.cooperativeId))) {
        throw fieldError('REFERENCE_NOT_FOUND', 'cooperativeId', 'No cooperative with this id.');
      }
      if (dto.productId) {
        if (!(await ocopRepository.productExists(manager, dto.productId)))
          throw fieldError('REFERENCE_NOT_FOUND', 'productId', 'No product with this id.');
      }
      const ocopId = await ocopRepository.insert(manager, dto);
      // The product's lots carry the stars on their pages from now on.
      if (dto.productId) {
        for (const lotId of await ocopRepository.lotsOf(manager, dto.productId, dto.cooperativeId))
          await this.provenance.rebuild(manager, lotId);
      }
      await this.audit.record(manager, actor, {
        action: 'ocop.create',
        entity: 'ocop_product',
        entityId: ocopId,
        after: dto,
      });
      return ocopId;
    });
    return ocopRepository.find(this.db.manager, id);
  }
}
