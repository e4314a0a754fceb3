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

  async verifyAccess(token: string): Promise<AccessClaims> {
    try {
      const { payload } = await jwtVerify(token, this.key, {
        issuer: 'huuco',
        algorithms: ['HS256'],
        requiredClaims: ['exp', 'sub'],
      });
      if (typeof payload.sub !== 'string' || typeof payload['ver'] !== 'number')
        throw new Error('claims');
      return { sub: payload.sub, ver: payload['ver'] };
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
