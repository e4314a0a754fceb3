import { setTimeout as sleep } from 'node:timers/promises';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { LoginDto, MeDto, RefreshDto, SessionDto } from '@huuco/domain';
import type { DataSource, EntityManager } from 'typeorm';
import { AuditService } from '../audit/audit.service.js';
import { AppConfig } from '../../platform/config/app-config.js';
import { DomainError } from '../../platform/http/domain-error.js';
import type { Actor } from './actor.js';
import { hashPassword, verifyPassword } from './password.js';
import { sha256, TokenService } from './token.service.js';
import { userRepository } from '../users/user.repository.js';
import type { RefreshToken, User } from './user.entity.js';

const INVALID = () => new DomainError('INVALID_CREDENTIALS', 'Wrong username or password.');

@Injectable()
export class AuthService {
  /** Checked against when the username does not exist, so both answers take as long. */
  private readonly decoy = hashPassword('not a real password, only a decoy');

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly tokens: TokenService,
    private readonly audit: AuditService,
    private readonly config: AppConfig,
  ) {}

  /**
   * From the third failure on, each attempt waits longer (up to 2 s); at LOGIN_MAX_FAILURES the
   * account locks for LOGIN_LOCK_MINUTES. Each attempt is counted by the database before the
   * password is checked, so parallel guesses each take one of the allowed tries and none past
   * the limit is checked at all. The answer never says whether the username exists.
   */
  async login(dto: LoginDto): Promise<SessionDto> {
    const user = await userRepository.findForLogin(this.db.manager, dto.username);
    if (!user || user.disabledAt !== null) {
      await verifyPassword(dto.password, await this.decoy);
      await this.audit.record(this.db.manager, null, {
        action: 'auth.login_failed',
        entity: 'user',
        entityId: user?.id ?? null,
        details: { username: dto.username },
      });
      throw INVALID();
    }
    const attempt = await this.takeAttempt(user.id);
    if (attempt.lockedUntil) throw this.locked(attempt.lockedUntil);
    if (attempt.number > 2) await sleep(Math.min(250 * 2 ** (attempt.number - 3), 2_000));

    if (!(await verifyPassword(dto.password, user.passwordHash))) {
      const lock = attempt.number >= this.config.loginMaxFailures;
      const lockedUntil = lock ? await this.lockedUntil(user.id) : null;
      await this.db.transaction(async (manager) => {
        await this.audit.record(manager, null, {
          action: lock ? 'auth.account_locked' : 'auth.login_failed',
          entity: 'user',
          entityId: user.id,
          details: { username: user.username, failures: attempt.number },
        });
      });
      throw lock ? this.locked(lockedUntil!) : INVALID();
    }

    return this.db.transaction(async (manager) => {
      await userRepository.update(manager, user.id, { failedLogins: 0, lockedUntil: null });
      await this.audit.record(manager, null, {
        action: 'auth.login',
        entity: 'user',
        entityId: user.id,
      });
      return (await this.openSession(manager, user)).session;
    });
  }

  /**
   * Counts this attempt in one statement and tells its number, or how long the account stays
   * locked. The attempt that reaches the limit sets the lock itself, before its password is
   * checked: parallel guesses beyond it are refused unchecked, and a crash mid-check still
   * leaves a lock that runs out. A lock that has run out starts the count again.
   */
  private async takeAttempt(
    userId: string,
  ): Promise<{ number: number; lockedUntil: null } | { number: 0; lockedUntil: Date }> {
    const number = await userRepository.takeAttempt(
      this.db.manager,
      userId,
      this.config.loginMaxFailures,
      this.config.loginLockMinutes,
    );
    if (number !== null) return { number, lockedUntil: null };
    return { number: 0, lockedUntil: await this.lockedUntil(userId) };
  }

  /**
   * Trades a refresh token for a new pair; the old one is spent. A spent one presented again
   * ends every session of the user (someone holds a copy), unless the session it was spent for
   * has never been used: then that answer was lost on its way (a phone's signal gone as it came)
   * and the same device is asking again; the unused session is ended and a new one opened.
   */
  async refresh(dto: RefreshDto): Promise<SessionDto> {
    const ended = () => new DomainError('UNAUTHENTICATED', 'This session has ended; log in again.');
    const session = await this.db.transaction(async (manager) => {
      const stored = await userRepository.lockSession(manager, {
        tokenHash: sha256(dto.refreshToken),
      });
      if (!stored || stored.expiresAt <= new Date()) throw ended();
      if (stored.revokedAt !== null) {
        const unanswered = await this.unusedSuccessor(manager, stored);
        if (!unanswered) {
          // Committed, though the answer is a refusal: the copy must not be tried again.
          await userRepository.endSessionsOf(manager, stored.userId);
          await this.audit.record(manager, null, {
            action: 'auth.refresh_reused',
            entity: 'user',
            entityId: stored.userId,
          });
          return null;
        }
        await userRepository.endSession(manager, unanswered.id);
      }
      const user = await userRepository.find(manager, stored.userId);
      if (!user || user.disabledAt !== null) throw ended();
      const next = await this.openSession(manager, user);
      await userRepository.endSession(manager, stored.id, next.id);
      return next.session;
    });
    if (!session) throw ended();
    return session;
  }

  /** The session a spent token was spent for, while it is live: nobody has used it yet. */
  private async unusedSuccessor(
    manager: EntityManager,
    spent: RefreshToken,
  ): Promise<RefreshToken | null> {
    if (!spent.replacedBy) return null;
    const successor = await userRepository.lockSession(manager, { id: spent.replacedBy });
    const live = successor && successor.revokedAt === null && successor.expiresAt > new Date();
    return live ? successor : null;
  }

  async logout(dto: RefreshDto): Promise<void> {
    await this.db.transaction(async (manager) => {
      const stored = await userRepository.liveSession(manager, sha256(dto.refreshToken));
      if (!stored) return;
      await userRepository.endSession(manager, stored.id);
      await this.audit.record(manager, null, {
        action: 'auth.logout',
        entity: 'user',
        entityId: stored.userId,
      });
    });
  }

  async me(actor: Actor): Promise<MeDto> {
    const user = (await userRepository.find(this.db.manager, actor.id))!;
    return this.toMe(this.db.manager, user);
  }

  async toMe(manager: EntityManager, user: User): Promise<MeDto> {
    const units = await userRepository.unitsOf(manager, [user.id]);
    return {
      id: user.id,
      username: user.username,
      displayName: user.displayName,
      role: user.role,
      cooperativeId: user.cooperativeId,
      buyerId: user.buyerId,
      adminUnitIds: units.map((u) => u.adminUnitId),
      isDemo: user.isDemo,
    };
  }

  private async openSession(
    manager: EntityManager,
    user: User,
  ): Promise<{ id: string; session: SessionDto }> {
    const access = await this.tokens.issueAccess(user.id, user.tokenVersion);
    const refresh = this.tokens.newRefreshToken();
    const id = await userRepository.openSession(manager, user.id, refresh);
    const session = {
      accessToken: access.token,
      accessTokenExpiresAt: access.expiresAt.toISOString(),
      refreshToken: refresh.token,
      refreshTokenExpiresAt: refresh.expiresAt.toISOString(),
      user: await this.toMe(manager, user),
    };
    return { id, session };
  }

  private async lockedUntil(userId: string): Promise<Date> {
    return (await userRepository.lockedUntil(this.db.manager, userId)) ?? new Date();
  }

  private locked(until: Date): DomainError {
    const minutes = Math.max(1, Math.ceil((until.getTime() - Date.now()) / 60_000));
    return new DomainError(
      'ACCOUNT_LOCKED',
      `Too many failed attempts; try again in ${minutes} minutes.`,
      [
        {
          path: 'username',
          code: 'ACCOUNT_LOCKED',
          message: 'Locked for now.',
          lockedUntil: until.toISOString(),
        },
      ],
    );
  }
}
