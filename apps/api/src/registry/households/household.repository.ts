import type { ConsentDto, HouseholdListQuery, Page } from '@huuco/domain';
import { IsNull, Not, type EntityManager } from 'typeorm';
import type { Actor } from '../../access/auth/actor.js';
import { SCOPED, scopeWhere } from '../../access/auth/record-scope.js';
import { crossShard, type ShardKey } from '../../platform/database/distribution.js';
import { escapeLike } from '../../platform/database/like.js';
import { pageFrom } from '../../platform/http/pagination.js';
import { AdminUnit } from '../admin-units/admin-unit.entity.js';
import { Cooperative } from '../cooperatives/cooperative.entity.js';
import { HouseholdConsent } from './household-consent.entity.js';
import { Household } from './household.entity.js';

const SORT_COLUMNS = { headName: 'h.head_name', joinedOn: 'h.joined_on', code: 'h.code' } as const;

type HouseholdFields = Omit<
  Household,
  'id' | 'isDemo' | 'createdAt' | 'updatedAt' | 'leftOn' | 'leftReason'
>;
export interface HouseholdRevisionRow {
  revision: number;
  code: string;
  head_name: string;
  phone: string | null;
  village: string | null;
  left_on: string | null;
  left_reason: string | null;
  recorded_by_username: string | null;
  recorded_at: Date;
}

type Recorder = Pick<HouseholdConsent, 'recordedBy' | 'recordedByUsername'>;

/** Households' SQL, all of it: the household, its consents, its ID number's sealed form. */
export const householdRepository = {
  /** The household with this id, if the actor sees it. */
  find(manager: EntityManager, actor: Actor, id: string): Promise<Household | null> {
    const [scope, values] = scopeWhere(actor, SCOPED.households, 'h');
    return manager
      .getRepository(Household)
      .createQueryBuilder('h')
      .where('h.id = :id', { id })
      .andWhere(scope, values)
      .getOne();
  },

  /** With the sealed ID number, which no other read selects. */
  findSealed(manager: EntityManager, id: string): Promise<Household | null> {
    return manager
      .getRepository(Household)
      .createQueryBuilder('h')
      .addSelect(['h.idNumberCiphertext', 'h.idNumberKeyId'])
      .where('h.id = :id', { id })
      .getOne();
  },

  /** A batch of ID numbers sealed under another key than this one, locked for resealing. */
  sealedUnderOtherKeys(manager: EntityManager, keyId: string, limit: number): Promise<Household[]> {
    return manager
      .getRepository(Household)
      .createQueryBuilder('h')
      .select(['h.id', 'h.idNumberCiphertext', 'h.idNumberKeyId'])
      .where({ idNumberKeyId: Not(keyId) })
      .orderBy('h.id')
      .limit(limit)
      .setLock('pessimistic_write')
      .getMany();
  },

  async reseal(
    manager: EntityManager,
    id: string,
    sealed: Pick<Household, 'idNumberCiphertext' | 'idNumberKeyId' | 'idNumberHash'>,
  ): Promise<void> {
    await manager.getRepository(Household).update(id, sealed);
  },

  async lockCooperative(manager: EntityManager, cooperativeId: string): Promise<void> {
    await manager.query('SELECT id FROM cooperatives WHERE id = $1 FOR UPDATE', [cooperativeId]);
  },

  /** The cooperative's next free code of the `H0001` form. */
  async nextCode(manager: EntityManager, cooperativeId: string): Promise<string> {
    const [row] = await manager.query<{ n: string }[]>(
      `SELECT coalesce(max(substring(code FROM '^H([0-9]{1,9})$')::bigint), 0) + 1 AS n
         FROM households WHERE cooperative_id = $1`,
      [cooperativeId],
    );
    return `H${String(row!.n).padStart(4, '0')}`;
  },

  async anyWithIdHash(manager: EntityManager, hashes: string[]): Promise<boolean> {
    const rows = await manager.query<{ id: string }[]>(
      `SELECT id FROM households ${crossShard('one ID number is registered once, in whichever cooperative')}
        WHERE id_number_hash = ANY($1) LIMIT 1`,
      [hashes],
    );
    return rows.length > 0;
  },

  cooperative(manager: EntityManager, id: string): Promise<Cooperative | null> {
    return manager.getRepository(Cooperative).findOneBy({ id });
  },

  commune(manager: EntityManager, id: string): Promise<AdminUnit | null> {
    return manager.getRepository(AdminUnit).findOneBy({ id });
  },

  insert(manager: EntityManager, fields: HouseholdFields): Promise<Household> {
    const repo = manager.getRepository(Household);
    return repo.save(repo.create(fields));
  },

  /** The change, and the household as it now stands as its next revision. */
  async update(
    manager: EntityManager,
    household: ShardKey,
    fields: Partial<
      Pick<Household, 'code' | 'headName' | 'phone' | 'village' | 'leftOn' | 'leftReason'>
    >,
    username: string,
  ): Promise<void> {
    await manager
      .getRepository(Household)
      .update({ id: household.id, cooperativeId: household.cooperativeId }, fields);
    await householdRepository.recordRevision(manager, household, username);
  },

  async recordRevision(
    manager: EntityManager,
    household: ShardKey,
    username: string,
  ): Promise<void> {
    await manager.query(
      `INSERT INTO household_revisions (household_id, revision, code, head_name, phone, village, left_on, left_reason, recorded_by_username)
       SELECT h.id, coalesce((SELECT max(r.revision) FROM household_revisions r WHERE r.household_id = h.id), 0) + 1,
              h.code, h.head_name, h.phone, h.village, h.left_on, h.left_reason, $2
         FROM households h WHERE h.id = $1 AND h.cooperative_id = $3`,
      [household.id, username, household.cooperativeId],
    );
  },

  /** Revision 1 of households registered in bulk (the demo's). */
  async recordFirstRevisions(
    manager: EntityManager,
    ids: string[],
    username: string,
  ): Promise<void> {
    await manager.query(
      `INSERT INTO household_revisions (household_id, revision, code, head_name, phone, village, left_on, left_reason, recorded_by_username, recorded_at)
       SELECT id, 1, code, head_name, phone, village, left_on, left_reason, $2, created_at FROM households WHERE id = ANY($1::uuid[])`,
      [ids, username],
    );
  },

  revisions(manager: EntityManager, id: string): Promise<HouseholdRevisionRow[]> {
    return manager.query<HouseholdRevisionRow[]>(
      `SELECT revision, code, head_name, phone, village, to_char(left_on, 'YYYY-MM-DD') AS left_on, left_reason,
              recorded_by_username, recorded_at
         FROM household_revisions WHERE household_id = $1 ORDER BY revision`,
      [id],
    );
  },

  consents(manager: EntityManager, householdId: string): Promise<HouseholdConsent[]> {
    return manager
      .getRepository(HouseholdConsent)
      .find({ where: { householdId }, order: { recordedAt: 'ASC' } });
  },

  standingConsent(
    manager: EntityManager,
    householdId: string,
    id: string,
  ): Promise<HouseholdConsent | null> {
    return manager
      .getRepository(HouseholdConsent)
      .findOneBy({ id, householdId, revokedAt: IsNull() });
  },

  /** A consent recorded, and the household's public display follows. */
  /** The consent itself; the household's flag is the caller's (set at registration). */
  recordConsent(
    manager: EntityManager,
    householdId: string,
    consent: ConsentDto,
    by: Recorder,
  ): Promise<HouseholdConsent> {
    const repo = manager.getRepository(HouseholdConsent);
    return repo.save(repo.create({ householdId, ...consent, ...by }));
  },

  async insertConsent(
    manager: EntityManager,
    householdId: string,
    consent: ConsentDto,
    by: Recorder,
  ): Promise<HouseholdConsent> {
    const saved = await householdRepository.recordConsent(manager, householdId, consent, by);
    await manager
      .getRepository(Household)
      .update(householdId, { consentPublicDisplay: true, consentRecordedAt: new Date() });
    return saved;
  },

  /** A consent revoked; the household is shown publicly while any other still stands. */
  async revokeConsent(
    manager: EntityManager,
    consent: HouseholdConsent,
    by: { revokedBy: string; revokedByUsername: string },
  ): Promise<HouseholdConsent> {
    const repo = manager.getRepository(HouseholdConsent);
    await repo.save(Object.assign(consent, { revokedAt: new Date(), ...by }));
    const standing = await repo.countBy({ householdId: consent.householdId, revokedAt: IsNull() });
    await manager
      .getRepository(Household)
      .update(consent.householdId, { consentPublicDisplay: standing > 0 });
    return consent;
  },

  plotCounts(
    manager: EntityManager,
    households: ShardKey[],
  ): Promise<{ household_id: string; n: number }[]> {
    return manager.query(
      `SELECT household_id, count(*) AS n FROM plots
        WHERE household_id = ANY($1) AND cooperative_id = ANY($2) GROUP BY household_id`,
      [households.map((h) => h.id), [...new Set(households.map((h) => h.cooperativeId))]],
    );
  },

  page<D>(
    manager: EntityManager,
    actor: Actor,
    query: HouseholdListQuery,
    toDtos: (rows: Household[]) => Promise<D[]>,
  ): Promise<Page<D>> {
    const qb = manager.getRepository(Household).createQueryBuilder('h');
    qb.where(...scopeWhere(actor, SCOPED.households, 'h'));
    if (query.cooperativeId)
      qb.andWhere('h.cooperative_id = :cooperativeId', { cooperativeId: query.cooperativeId });
    if (query.communeId) qb.andWhere('h.commune_id = :communeId', { communeId: query.communeId });
    if (query.village) qb.andWhere('h.village = :village', { village: query.village });
    if (query.q)
      qb.andWhere('(h.head_name ILIKE :q OR h.code ILIKE :q)', { q: `%${escapeLike(query.q)}%` });
    return pageFrom(qb, { sortColumn: SORT_COLUMNS[query.sort], idColumn: 'h.id' }, query, toDtos);
  },
};
