import type {
  CooperativeListQuery,
  CooperativeStatus,
  CreateCooperativeDto,
  Page,
} from '@huuco/domain';
import { In, type EntityManager } from 'typeorm';
import type { Actor } from '../../access/auth/actor.js';
import { escapeLike } from '../../platform/database/like.js';
import { pageFrom } from '../../platform/http/pagination.js';
import { AdminUnit } from '../admin-units/admin-unit.entity.js';
import { Cooperative } from './cooperative.entity.js';

const SORT_COLUMNS = { name: 'c.name', registrationNumber: 'c.registration_number' } as const;

/** Cooperatives' SQL, all of it; their activity over time is in the registry's histories. */
export const cooperativeRepository = {
  find(manager: EntityManager, id: string): Promise<Cooperative | null> {
    return manager.getRepository(Cooperative).findOneBy({ id });
  },

  /** The cooperative locked for the rest of the transaction, if it is in the actor's units. */
  async lockInScope(manager: EntityManager, actor: Actor, id: string): Promise<Cooperative | null> {
    const cooperative = await manager
      .getRepository(Cooperative)
      .findOne({ where: { id }, lock: { mode: 'pessimistic_write' } });
    return cooperative && actor.unitIds.includes(cooperative.communeId) ? cooperative : null;
  },

  insert(manager: EntityManager, dto: CreateCooperativeDto): Promise<Cooperative> {
    const repo = manager.getRepository(Cooperative);
    return repo.save(repo.create({ ...dto, initialStatus: dto.status }));
  },

  save(manager: EntityManager, cooperative: Cooperative): Promise<Cooperative> {
    return manager.getRepository(Cooperative).save(cooperative);
  },

  async setStatus(manager: EntityManager, id: string, status: CooperativeStatus): Promise<void> {
    await manager.getRepository(Cooperative).update(id, { status });
  },

  unit(manager: EntityManager, id: string): Promise<AdminUnit | null> {
    return manager.getRepository(AdminUnit).findOneBy({ id });
  },

  units(manager: EntityManager, ids: string[]): Promise<AdminUnit[]> {
    return manager.getRepository(AdminUnit).findBy({ id: In(ids) });
  },

  householdCounts(
    manager: EntityManager,
    ids: string[],
  ): Promise<{ cooperative_id: string; n: number }[]> {
    return manager.query(
      'SELECT cooperative_id, count(*) AS n FROM households WHERE cooperative_id = ANY($1) GROUP BY cooperative_id',
      [ids],
    );
  },

  page<D>(
    manager: EntityManager,
    query: CooperativeListQuery,
    toDtos: (rows: Cooperative[]) => Promise<D[]>,
  ): Promise<Page<D>> {
    const qb = manager.getRepository(Cooperative).createQueryBuilder('c');
    if (query.status) qb.andWhere('c.status = :status', { status: query.status });
    if (query.communeId) qb.andWhere('c.commune_id = :communeId', { communeId: query.communeId });
    if (query.q) qb.andWhere('c.name ILIKE :q', { q: `%${escapeLike(query.q)}%` });
    return pageFrom(qb, { sortColumn: SORT_COLUMNS[query.sort], idColumn: 'c.id' }, query, toDtos);
  },
};
