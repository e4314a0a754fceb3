import type { Page, UserListQuery } from '@huuco/domain';
import { In, IsNull, MoreThan, type EntityManager } from 'typeorm';
import type { Actor } from '../auth/actor.js';
import { buyerScopeSql } from '../auth/record-scope.js';
import { RefreshToken, User, UserAdminUnit } from '../auth/user.entity.js';
import { escapeLike } from '../../platform/database/like.js';
import { returnedRows } from '../../platform/http/affected-rows.js';
import { pageFrom } from '../../platform/http/pagination.js';
import { Cooperative } from '../../registry/cooperatives/cooperative.entity.js';

const SORT_COLUMNS = { username: 'u.username', createdAt: 'u.created_at' } as const;

type UserFields = Pick<
  User,
  'username' | 'displayName' | 'role' | 'cooperativeId' | 'buyerId' | 'passwordHash'
>;
type UserChange = Partial<
  Pick<
    User,
    'displayName' | 'passwordHash' | 'failedLogins' | 'lockedUntil' | 'disabledAt' | 'tokenVersion'
  >
>;

/** Accounts' SQL, all of it: users, their admin units, their sessions, their login attempts. */
export const userRepository = {
  find(manager: EntityManager, id: string): Promise<User | null> {
    return manager.getRepository(User).findOneBy({ id });
  },

  /**
   * Users with the admin-unit tree's generation, in one read: what every request checks, for
   * the requests that arrived together.
   */
  async findWithScopeGeneration(
    manager: EntityManager,
    ids: readonly string[],
  ): Promise<{ users: Map<string, User>; scopeGeneration: string }> {
    const [{ generation }] = (await manager.query<{ generation: string }[]>(
      'SELECT generation FROM scope_generation',
    )) as [{ generation: string }];
    const users = await manager.getRepository(User).findBy({ id: In([...ids]) });
    return {
      users: new Map(users.map((user) => [user.id, user])),
      scopeGeneration: String(generation),
    };
  },

  /** With the password hash, which no other read selects. */
  findForLogin(manager: EntityManager, username: string): Promise<User | null> {
    return manager
      .getRepository(User)
      .createQueryBuilder('u')
      .addSelect('u.passwordHash')
      .where('u.username = :username', { username })
      .getOne();
  },

  async insert(manager: EntityManager, fields: UserFields, adminUnitIds: string[]): Promise<User> {
    const repo = manager.getRepository(User);
    const saved = await repo.save(repo.create(fields));
    if (adminUnitIds.length) {
      await manager
        .getRepository(UserAdminUnit)
        .insert(adminUnitIds.map((adminUnitId) => ({ userId: saved.id, adminUnitId })));
    }
    return saved;
  },

  async update(manager: EntityManager, id: string, change: UserChange): Promise<void> {
    await manager.getRepository(User).update(id, change);
  },

  async delete(manager: EntityManager, id: string): Promise<void> {
    await manager.getRepository(User).delete(id);
  },

  unitsOf(manager: EntityManager, userIds: string[]): Promise<UserAdminUnit[]> {
    return manager.getRepository(UserAdminUnit).findBy({ userId: In(userIds) });
  },

  cooperative(manager: EntityManager, id: string): Promise<Cooperative | null> {
    return manager.getRepository(Cooperative).findOneBy({ id });
  },

  /** Whether the buyer is within the actor's reach: registered by, or contracting in, their units. */
  async buyerManaged(manager: EntityManager, actor: Actor, buyerId: string): Promise<boolean> {
    const params: unknown[] = [buyerId];
    const [row] = await manager.query<{ found: boolean }[]>(
      `SELECT EXISTS (SELECT 1 FROM buyers b WHERE b.id = $1 AND ${buyerScopeSql(actor, 'b', params)}) AS found`,
      params,
    );
    return row?.found === true;
  },

  /** The accounts the actor manages: in their units, their cooperatives, or their buyers. */
  async page<D>(
    manager: EntityManager,
    actor: Actor,
    query: UserListQuery,
    toDtos: (rows: User[]) => Promise<D[]>,
  ): Promise<Page<D>> {
    const buyerParams: unknown[] = [];
    const buyers = await manager.query<{ id: string }[]>(
      `SELECT b.id FROM buyers b WHERE ${buyerScopeSql(actor, 'b', buyerParams)}`,
      buyerParams,
    );
    const qb = manager.getRepository(User).createQueryBuilder('u');
    qb.where(
      `(EXISTS (SELECT 1 FROM user_admin_units x WHERE x.user_id = u.id AND x.admin_unit_id = ANY(:units))
        OR EXISTS (SELECT 1 FROM cooperatives c WHERE c.id = u.cooperative_id AND c.commune_id = ANY(:units))
        OR u.buyer_id = ANY(:buyers))`,
      { units: actor.unitIds, buyers: buyers.map((b) => b.id) },
    );
    if (query.role) qb.andWhere('u.role = :role', { role: query.role });
    if (query.q)
      qb.andWhere('(u.username ILIKE :q OR u.display_name ILIKE :q)', {
        q: `%${escapeLike(query.q)}%`,
      });
    return pageFrom(qb, { sortColumn: SORT_COLUMNS[query.sort], idColumn: 'u.id' }, query, toDtos);
  },

  /**
   * Counts a login attempt in one statement: its number, or null while the account is locked.
   * The attempt that reaches `maxFailures` sets the lock itself; a lock run out starts again at 1.
   */
  async takeAttempt(
    manager: EntityManager,
    userId: string,
    maxFailures: number,
    lockMinutes: number,
  ): Promise<number | null> {
    const result = await manager.query(
      `UPDATE users
          SET failed_logins = CASE WHEN locked_until <= now() THEN 1 ELSE failed_logins + 1 END,
              locked_until = CASE
                WHEN (CASE WHEN locked_until <= now() THEN 1 ELSE failed_logins + 1 END) >= $2
                THEN now() + make_interval(mins => $3) END
        WHERE id = $1 AND (locked_until IS NULL OR locked_until <= now())
        RETURNING failed_logins`,
      [userId, maxFailures, lockMinutes],
    );
    const [row] = returnedRows<{ failed_logins: number }>(result);
    return row ? row.failed_logins : null;
  },

  async lockedUntil(manager: EntityManager, userId: string): Promise<Date | null> {
    const [row] = await manager.query<{ locked_until: Date | null }[]>(
      'SELECT locked_until FROM users WHERE id = $1',
      [userId],
    );
    return row?.locked_until ?? null;
  },

  /** A session, by its refresh token's hash or by its id, locked, whether spent or not. */
  lockSession(
    manager: EntityManager,
    where: { tokenHash: string } | { id: string },
  ): Promise<RefreshToken | null> {
    return manager
      .getRepository(RefreshToken)
      .findOne({ where, lock: { mode: 'pessimistic_write' } });
  },

  liveSession(manager: EntityManager, tokenHash: string): Promise<RefreshToken | null> {
    return manager.getRepository(RefreshToken).findOneBy({
      tokenHash,
      revokedAt: IsNull(),
      expiresAt: MoreThan(new Date()),
    });
  },

  /** Opens a session for a new refresh token; its id. */
  async openSession(
    manager: EntityManager,
    userId: string,
    token: { hash: string; expiresAt: Date },
  ): Promise<string> {
    const inserted = await manager
      .getRepository(RefreshToken)
      .insert({ userId, tokenHash: token.hash, expiresAt: token.expiresAt });
    return (inserted.identifiers[0] as { id: string }).id;
  },

  /** Ends a session: spent for another (`replacedBy`), or logged out or superseded (none). */
  async endSession(manager: EntityManager, id: string, replacedBy: string | null = null) {
    await manager.getRepository(RefreshToken).update(id, { revokedAt: new Date(), replacedBy });
  },

  async endSessionsOf(manager: EntityManager, userId: string): Promise<void> {
    await manager
      .getRepository(RefreshToken)
      .update({ userId, revokedAt: IsNull() }, { revokedAt: new Date() });
  },
};
