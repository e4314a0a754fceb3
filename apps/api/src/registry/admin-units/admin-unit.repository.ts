import type { AdminUnitListQuery, CreateAdminUnitDto, IsoDate, Page } from '@huuco/domain';
import { In, type EntityManager } from 'typeorm';
import { escapeLike } from '../../platform/database/like.js';
import { pageFrom } from '../../platform/http/pagination.js';
import { AdminUnit, AdminUnitSuccession } from './admin-unit.entity.js';

const SORT_COLUMNS = { name: 'u.name', code: 'u.code', validFrom: 'u.valid_from' } as const;

/** Admin units' SQL, all of it: the units and the reform steps between them. */
export const adminUnitRepository = {
  find(manager: EntityManager, id: string): Promise<AdminUnit | null> {
    return manager.getRepository(AdminUnit).findOneBy({ id });
  },

  findMany(manager: EntityManager, ids: string[]): Promise<AdminUnit[]> {
    return manager.getRepository(AdminUnit).findBy({ id: In(ids) });
  },

  lockMany(manager: EntityManager, ids: string[]): Promise<AdminUnit[]> {
    return manager
      .getRepository(AdminUnit)
      .find({ where: { id: In(ids) }, lock: { mode: 'pessimistic_write' } });
  },

  insert(manager: EntityManager, dto: CreateAdminUnitDto): Promise<AdminUnit> {
    const repo = manager.getRepository(AdminUnit);
    return repo.save(repo.create(dto));
  },

  async endOn(manager: EntityManager, ids: string[], validTo: IsoDate): Promise<void> {
    await manager.getRepository(AdminUnit).update({ id: In(ids) }, { validTo });
  },

  async insertSuccessions(
    manager: EntityManager,
    links: Omit<AdminUnitSuccession, 'id' | 'isDemo' | 'createdAt'>[],
  ): Promise<void> {
    await manager.getRepository(AdminUnitSuccession).insert(links);
  },

  /** Every reform step that ended or began one of these units, oldest first. */
  successionsOf(manager: EntityManager, ids: string[]): Promise<AdminUnitSuccession[]> {
    return manager.getRepository(AdminUnitSuccession).find({
      where: [{ predecessorId: In(ids) }, { successorId: In(ids) }],
      order: { effectiveOn: 'ASC' },
    });
  },

  async holdsProvince(manager: EntityManager, userId: string): Promise<boolean> {
    const [row] = await manager.query<{ n: number }[]>(
      `SELECT count(*) AS n FROM user_admin_units x JOIN admin_units u ON u.id = x.admin_unit_id
        WHERE x.user_id = $1 AND u.level = 'province'`,
      [userId],
    );
    return (row?.n ?? 0) > 0;
  },

  page<D>(
    manager: EntityManager,
    query: AdminUnitListQuery,
    toDtos: (rows: AdminUnit[]) => Promise<D[]>,
  ): Promise<Page<D>> {
    const qb = manager.getRepository(AdminUnit).createQueryBuilder('u');
    if (query.level) qb.andWhere('u.level = :level', { level: query.level });
    if (query.parentId) qb.andWhere('u.parent_id = :parentId', { parentId: query.parentId });
    if (query.code) qb.andWhere('u.code = :code', { code: query.code });
    if (query.q) qb.andWhere('u.name ILIKE :q', { q: `%${escapeLike(query.q)}%` });
    if (query.validOn) {
      qb.andWhere('u.valid_from <= :on AND (u.valid_to IS NULL OR u.valid_to > :on)', {
        on: query.validOn,
      });
    }
    return pageFrom(qb, { sortColumn: SORT_COLUMNS[query.sort], idColumn: 'u.id' }, query, toDtos);
  },
};
