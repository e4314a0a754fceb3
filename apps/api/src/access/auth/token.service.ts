import { createHash, createSecretKey, randomBytes, type KeyObject } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { errors, jwtVerify, SignJWT } from 'jose';
import { AppConfig } from '../../platform/config/app-config.js';
import { Secrets } from '../../platform/config/secrets.js';
import { DomainError } from '../../platform/http/domain-error.js';

export interface AccessClaims {
  sub: string;
  ver: number;
}

export function sha256(value: string): string {
  return createHash('sha256').update(value).digest('hex');
}

/** How many checked tokens a process keeps: about as many as phones active in a few minutes. */
const VERIFIED_KEPT = 50_000;

/** Short-lived signed access tokens (JWT, HS256) and opaque refresh tokens stored hashed. */
@Injectable()
export class TokenService {
  /** Imported once: signing and verifying then skip the key import on every request. */
  private readonly key: KeyObject;

  constructor(
    secrets: Secrets,
    private readonly config: AppConfig,
  ) {
    this.key = createSecretKey(secrets.tokenSecret);
  }

  async issueAccess(
    userId: string,
    tokenVersion: number,
  ): Promise<{ token: string; expiresAt: Date }> {
    const expiresAt = new Date(Date.now() + this.config.accessTokenTtlSeconds * 1000);
    const token = await new SignJWT({ ver: tokenVersion })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(userId)
      .setIssuedAt()
      .setIssuer('huuco')
      .setExpirationTime(Math.floor(expiresAt.getTime() / 1000))
      .sign(this.key);
    return { token, expiresAt };
  }

  /**
   * Tokens whose signature was checked, with their claims, until they expire: a phone sends the
   * same token with every request for its lifetime, and the signature will not change. Whether
   * its user may still use it is read on every request (AuthGuard), never kept here.
   */
  private readonly verified = new Map<string, AccessClaims & { expiresAtMs: number }>();

  async verifyAccess(token: string): Promise<AccessClaims> {
    const known = this.verified.get(token);
    if (known) {
      if (Date.now() < known.expiresAtMs) return { sub: known.sub, ver: known.ver };
      this.verified.delete(token);
    }
    try {
      const { payload } = await jwtVerify(token, this.key, {
        issuer: 'huuco',
        algorithms: ['HS256'],
        requiredClaims: ['exp', 'sub'],
      });
      if (typeof payload.sub !== 'string' || typeof payload['ver'] !== 'number')
        throw new Error('claims');
      const claims = { sub: payload.sub, ver: payload['ver'] };
      if (this.verified.size >= VERIFIED_KEPT) this.verified.clear();
      this.verified.set(token, { ...claims, expiresAtMs: payload.exp! * 1000 });
      return claims;
    } catch (error) {
      if (error instanceof errors.JWTExpired) {
        throw new DomainError('TOKEN_EXPIRED', 'The access token has expired; refresh it.');
      }
      throw new DomainError('UNAUTHENTICATED', 'The access token is not valid.');
    }
  }

  newRefreshToken(): { token: string; hash: string; expiresAt: Date } {
    const token = randomBytes(32).toString('base64url');
    const expiresAt = new Date(Date.now() + this.config.refreshTokenTtlDays * 86_400_000);
    return { token, hash: sha256(token), expiresAt };
  }
}
