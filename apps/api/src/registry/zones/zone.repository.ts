import type { Polygon } from 'geojson';
import type { Page, ZoneListQuery, ZoneStatus } from '@huuco/domain';
import { In, type EntityManager } from 'typeorm';
import type { Actor } from '../../access/auth/actor.js';
import { ACROSS_ZONE } from '../../platform/database/distribution.js';
import { escapeLike } from '../../platform/database/like.js';
import { pageFrom } from '../../platform/http/pagination.js';
import { AdminUnit } from '../admin-units/admin-unit.entity.js';
import { Certification } from '../certifications/certification.entity.js';
import { Zone, ZoneCommune } from './zone.entity.js';

const SORT_COLUMNS = { name: 'z.name', code: 'z.code', area: 'z.area_m2' } as const;

export interface ZonePlotRow {
  id: string;
  zone_id: string;
  conversion_started_on: string | null;
  area_m2: string;
  household_id: string;
}

/** Zones' SQL, all of it: the zone, its communes, and what its panel counts. */
export const zoneRepository = {
  find(manager: EntityManager, id: string): Promise<Zone | null> {
    return manager.getRepository(Zone).findOneBy({ id });
  },

  /** The zone locked for the rest of the transaction, if the actor's communes reach it. */
  async lockInScope(manager: EntityManager, actor: Actor, id: string): Promise<Zone | null> {
    const zone = await manager
      .getRepository(Zone)
      .findOne({ where: { id }, lock: { mode: 'pessimistic_write' } });
    return zone && (await zoneRepository.inScope(manager, actor, id)) ? zone : null;
  },

  /** A zone is within a district user's reach when one of its communes is. */
  async inScope(manager: EntityManager, actor: Actor, zoneId: string): Promise<boolean> {
    const [row] = await manager.query<{ n: number }[]>(
      'SELECT count(*) AS n FROM zone_communes WHERE zone_id = $1 AND commune_id = ANY($2::uuid[])',
      [zoneId, actor.unitIds],
    );
    return (row?.n ?? 0) > 0;
  },

  async insert(manager: EntityManager, fields: Partial<Zone>): Promise<Zone> {
    const repo = manager.getRepository(Zone);
    return repo.save(repo.create(fields));
  },

  save(manager: EntityManager, zone: Zone): Promise<Zone> {
    return manager.getRepository(Zone).save(zone);
  },

  async setStatus(manager: EntityManager, id: string, status: ZoneStatus): Promise<void> {
    await manager.getRepository(Zone).update(id, { status });
  },

  async setCommunes(manager: EntityManager, zoneId: string, communeIds: string[]): Promise<void> {
    await manager.getRepository(ZoneCommune).delete({ zoneId });
    await manager
      .getRepository(ZoneCommune)
      .insert(communeIds.map((communeId) => ({ zoneId, communeId })));
  },

  units(manager: EntityManager, ids: string[]): Promise<AdminUnit[]> {
    return manager.getRepository(AdminUnit).findBy({ id: In(ids) });
  },

  /** Each zone's communes, as units. */
  async communesOf(
    manager: EntityManager,
    zoneIds: string[],
  ): Promise<{ links: ZoneCommune[]; units: AdminUnit[] }> {
    const links = await manager.getRepository(ZoneCommune).findBy({ zoneId: In(zoneIds) });
    const units = await zoneRepository.units(
      manager,
      links.map((l) => l.communeId),
    );
    return { links, units };
  },

  page<D>(
    manager: EntityManager,
    query: ZoneListQuery,
    toDtos: (zones: Zone[]) => Promise<D[]>,
  ): Promise<Page<D>> {
    const qb = manager.getRepository(Zone).createQueryBuilder('z');
    if (query.kind) qb.andWhere('z.kind = :kind', { kind: query.kind });
    if (query.status) qb.andWhere('z.status = :status', { status: query.status });
    if (query.q)
      qb.andWhere('(z.name ILIKE :q OR z.code ILIKE :q)', { q: `%${escapeLike(query.q)}%` });
    if (query.communeId) {
      qb.andWhere(
        'EXISTS (SELECT 1 FROM zone_communes zc WHERE zc.zone_id = z.id AND zc.commune_id = :communeId)',
        { communeId: query.communeId },
      );
    }
    return pageFrom(qb, { sortColumn: SORT_COLUMNS[query.sort], idColumn: 'z.id' }, query, toDtos);
  },

  plots(manager: EntityManager, zoneId: string): Promise<ZonePlotRow[]> {
    return manager.query<ZonePlotRow[]>(
      `SELECT id, zone_id, conversion_started_on, area_m2, household_id FROM plots ${ACROSS_ZONE}
        WHERE zone_id = $1 AND retired_on IS NULL`,
      [zoneId],
    );
  },

  /** The zone's plots still farmed, with their outlines, locked against a concurrent edit. */
  plotOutlines(
    manager: EntityManager,
    zoneId: string,
  ): Promise<{ id: string; code: string; geometry: Polygon }[]> {
    return manager.query(
      `SELECT id, code, geometry FROM plots ${ACROSS_ZONE}
        WHERE zone_id = $1 AND retired_on IS NULL FOR UPDATE`,
      [zoneId],
    );
  },

  certificates(manager: EntityManager, zoneId: string): Promise<Certification[]> {
    return manager
      .getRepository(Certification)
      .find({ where: { zoneId }, order: { validTo: 'DESC' } });
  },
};
