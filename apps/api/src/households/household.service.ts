import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import {
  maskPhone,
  type CreateHouseholdDto,
  type HouseholdDto,
  type HouseholdListQuery,
  type Page,
} from '@huuco/domain';
import type { DataSource } from 'typeorm';
import { AdminUnit } from '../admin-units/admin-unit.entity.js';
import { escapeLike } from '../admin-units/admin-unit.service.js';
import { DomainError, notFound, referenceNotFound } from '../common/domain-error.js';
import { offsetOf, pageOf, sqlOrder } from '../common/pagination.js';
import { Cooperative } from '../cooperatives/cooperative.entity.js';
import { Household } from './household.entity.js';
import { IdNumberCipher } from './id-number.cipher.js';

const SORT_COLUMNS = { headName: 'h.head_name', joinedOn: 'h.joined_on' } as const;

@Injectable()
export class HouseholdService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly cipher: IdNumberCipher,
  ) {}

  async create(dto: CreateHouseholdDto): Promise<HouseholdDto> {
    const cooperative = await this.db
      .getRepository(Cooperative)
      .findOneBy({ id: dto.cooperativeId });
    if (!cooperative) throw referenceNotFound('cooperativeId', 'Cooperative');
    if (cooperative.status !== 'active') {
      throw new DomainError(
        'COOPERATIVE_INACTIVE',
        `${cooperative.name} is inactive and takes no new members.`,
        [
          {
            path: 'cooperativeId',
            code: 'COOPERATIVE_INACTIVE',
            message: 'The cooperative is inactive.',
          },
        ],
      );
    }
    const commune = await this.db.getRepository(AdminUnit).findOneBy({ id: dto.communeId });
    if (!commune || commune.level !== 'commune') throw referenceNotFound('communeId', 'Commune');

    const { idNumber, ...rest } = dto;
    const sealed = this.cipher.seal(idNumber);
    const repo = this.db.getRepository(Household);
    const saved = await repo.save(
      repo.create({
        ...rest,
        idNumberCiphertext: sealed.ciphertext,
        idNumberKeyId: sealed.keyId,
        idNumberHash: sealed.hash,
        idNumberMasked: sealed.masked,
        consentRecordedAt: dto.consentPublicDisplay ? new Date() : null,
      }),
    );
    return this.get(saved.id);
  }

  async list(query: HouseholdListQuery): Promise<Page<HouseholdDto>> {
    const qb = this.db.getRepository(Household).createQueryBuilder('h');
    if (query.cooperativeId)
      qb.andWhere('h.cooperative_id = :cooperativeId', { cooperativeId: query.cooperativeId });
    if (query.communeId) qb.andWhere('h.commune_id = :communeId', { communeId: query.communeId });
    if (query.village) qb.andWhere('h.village = :village', { village: query.village });
    if (query.q) qb.andWhere('h.head_name ILIKE :q', { q: `%${escapeLike(query.q)}%` });
    qb.orderBy(SORT_COLUMNS[query.sort], sqlOrder(query)).addOrderBy('h.id');
    const [items, total] = await qb.skip(offsetOf(query)).take(query.pageSize).getManyAndCount();
    return pageOf(await this.toDtos(items), total, query);
  }

  async get(id: string): Promise<HouseholdDto> {
    const household = await this.db.getRepository(Household).findOneBy({ id });
    if (!household) throw notFound('Household', id);
    const [dto] = await this.toDtos([household]);
    return dto!;
  }

  private async toDtos(households: Household[]): Promise<HouseholdDto[]> {
    if (households.length === 0) return [];
    const counts = await this.db.query<{ household_id: string; n: number }[]>(
      'SELECT household_id, count(*) AS n FROM plots WHERE household_id = ANY($1) GROUP BY household_id',
      [households.map((h) => h.id)],
    );
    return households.map((h) => ({
      id: h.id,
      headName: h.headName,
      idNumberMasked: h.idNumberMasked,
      phoneMasked: h.phone === null ? null : maskPhone(h.phone),
      village: h.village,
      communeId: h.communeId,
      cooperativeId: h.cooperativeId,
      joinedOn: h.joinedOn,
      consentPublicDisplay: h.consentPublicDisplay,
      plotCount: counts.find((row) => row.household_id === h.id)?.n ?? 0,
      isDemo: h.isDemo,
    }));
  }
}
