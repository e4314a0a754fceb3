import { isIP } from 'node:net';
import { DEFAULT_YIELD_LIMITS, type MillingRatio, type YieldLimit } from '@huuco/domain';
import { z } from 'zod';

const databaseUrl = z
  .string()
  .refine(
    (value) => {
      try {
        const url = new URL(value);
        return (
          (url.protocol === 'postgres:' || url.protocol === 'postgresql:') && url.hostname !== ''
        );
      } catch {
        return false;
      }
    },
    { message: 'must be a postgres:// or postgresql:// URL with a host' },
  )
  .optional();

const base64Key = z
  .string()
  .refine((value) => Buffer.from(value, 'base64').length === 32, {
    message: 'must be 32 bytes, base64-encoded (openssl rand -base64 32)',
  })
  .optional();

const envSchema = z
  .object({
    PORT: z.coerce
      .number({ message: 'must be a number' })
      .int({ message: 'must be a whole number' })
      .min(0, { message: 'must be between 0 and 65535' })
      .max(65535, { message: 'must be between 0 and 65535' })
      .default(3000),
    HOST: z.string().min(1).default('0.0.0.0'),
    DATABASE_URL: databaseUrl,
    DATA_DIR: z.string().min(1).default('./data'),
    ID_ENCRYPTION_KEY: base64Key,
    ID_ENCRYPTION_KEY_ID: z
      .string()
      .regex(/^[A-Za-z0-9_-]{1,20}$/, { message: 'must be 1–20 letters, digits, _ or -' })
      .default('k1'),
    CONVERSION_MONTHS: z.coerce
      .number({ message: 'must be a number' })
      .int()
      .min(1, { message: 'must be between 1 and 60' })
      .max(60, { message: 'must be between 1 and 60' })
      .default(12),
    BODY_LIMIT_BYTES: z.coerce.number().int().min(1_024).max(50_000_000).default(2_000_000),
    DEMO_DATA: z.enum(['auto', 'off']).default('auto'),
    LOG_LEVEL: z
      .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
      .default('info'),
    WEB_DIST: z.string().min(1).default('dist/apps/web'),
    MAP_TILE_URL: z
      .string()
      .refine((value) => value === '' || /^https:\/\/.+\{z\}.+\{x\}.+\{y\}/.test(value), {
        message: 'must be an https URL template with {z}, {x} and {y}, or empty for no basemap',
      })
      .default('https://tile.openstreetmap.org/{z}/{x}/{y}.png'),
    MAP_TILE_ATTRIBUTION: z.string().max(300).default('© OpenStreetMap contributors'),
    ID_ENCRYPTION_PREVIOUS_KEYS: z
      .string()
      .regex(
        /^[A-Za-z0-9_-]{1,20}:[A-Za-z0-9+/=]{40,}(,[A-Za-z0-9_-]{1,20}:[A-Za-z0-9+/=]{40,})*$/,
        {
          message: 'must be keyId:base64Key pairs separated by commas',
        },
      )
      .optional(),
    AUTH_TOKEN_SECRET: z
      .string()
      .refine((value) => Buffer.from(value, 'base64').length >= 32, {
        message: 'must be at least 32 bytes, base64-encoded (openssl rand -base64 32)',
      })
      .optional(),
    ACCESS_TOKEN_TTL_SECONDS: z.coerce.number().int().min(30).max(86_400).default(900),
    REFRESH_TOKEN_TTL_DAYS: z.coerce.number().int().min(1).max(365).default(30),
    LOGIN_MAX_FAILURES: z.coerce.number().int().min(1).max(100).default(5),
    LOGIN_LOCK_MINUTES: z.coerce.number().int().min(1).max(1_440).default(15),
    LOGIN_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).max(10_000).default(30),
    PUBLIC_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).max(1_000_000).default(600),
    /**
     * Scans of a genuine signed label, per client address: a campaign's phones behind one
     * carrier-grade NAT address or a shop's Wi-Fi share it, so it is far above the budget for
     * everything else public (forged or unsigned codes, resolver lookups).
     */
    PUBLIC_SIGNED_RATE_LIMIT_PER_MINUTE: z.coerce
      .number()
      .int()
      .min(1)
      .max(10_000_000)
      .default(30_000),
    /**
     * Memory for the provenance pages a process holds ready to send (each scan still reads the
     * page's version): about 7 KB a lot scanned as a page, 35 KB as JSON, so 100,000 lots' pages
     * fit in the default.
     */
    PAGE_MEMORY_MB: z.coerce.number().int().min(1).max(65_536).default(1024),
    CORS_ORIGINS: z
      .string()
      .refine(
        (value) => value.split(',').every((origin) => /^https?:\/\/[^/\s]+$/.test(origin.trim())),
        {
          message: 'must be a comma-separated list of origins like https://huuco.example.vn',
        },
      )
      .optional(),
    TRUSTED_PROXIES: z
      .string()
      .refine((value) => value.split(',').every((entry) => isAddressOrRange(entry.trim())), {
        message:
          'must be a comma-separated list of proxy addresses or CIDR ranges, like 10.0.0.5,192.168.1.0/24',
      })
      .optional(),
    MAP_MAX_FEATURES: z.coerce.number().int().min(100).max(50_000).default(5_000),
    LABEL_SIGNING_KEY: z
      .string()
      .refine((value) => Buffer.from(value, 'base64').length >= 32, {
        message: 'must be at least 32 bytes, base64-encoded (openssl rand -base64 32)',
      })
      .optional(),
    LABEL_SIGNING_KEY_ID: z
      .string()
      .regex(/^[A-Za-z0-9]{1,8}$/, { message: 'must be 1–8 letters or digits' })
      .default('q1'),
    LABEL_SIGNING_PREVIOUS_KEYS: z
      .string()
      .regex(/^[A-Za-z0-9]{1,8}:[A-Za-z0-9+/=]{40,}(,[A-Za-z0-9]{1,8}:[A-Za-z0-9+/=]{40,})*$/, {
        message: 'must be keyId:base64Key pairs separated by commas',
      })
      .optional(),
    LOG_SIGNING_KEY: base64Key,
    LOG_ORIGIN: z
      .string()
      .regex(/^[^\s/]+(\/[^\s]*)?$/, {
        message: 'must name the log without a scheme, like truyxuat.example.vn/log',
      })
      .optional(),
    LOG_APPEND_INTERVAL_MS: z.coerce.number().int().min(0).max(60_000).default(1_000),
    WITNESS_KEYS: z
      .string()
      .refine(
        (value) =>
          value
            .split(',')
            .every((key) => /^[^+\s]+\+[0-9a-f]{8}\+[A-Za-z0-9+/=]{44}$/.test(key.trim())),
        { message: 'must be C2SP verifier keys (name+hash+key) separated by commas' },
      )
      .optional(),
    PUBLIC_BASE_URL: z
      .string()
      .regex(/^https?:\/\/[^/\s]+$/, {
        message: 'must be the origin printed in QR codes, like https://truyxuat.example.vn',
      })
      .optional(),
    MILLING_RATIO_MIN: z.coerce.number().min(0.3).max(0.9).default(0.6),
    MILLING_RATIO_MAX: z.coerce.number().min(0.3).max(0.95).default(0.7),
    OVER_DELIVERY: z.enum(['refuse', 'warn']).default('refuse'),
    CONTRACT_DOCUMENT_MAX_BYTES: z.coerce
      .number()
      .int()
      .min(10_000)
      .max(50_000_000)
      .default(10_000_000),
    IMPORT_MAX_BYTES: z.coerce.number().int().min(10_000).max(500_000_000).default(64_000_000),
    YIELD_LIMITS: z
      .string()
      .regex(/^[a-z_]+=\d+\/\d+(,[a-z_]+=\d+\/\d+)*$/, {
        message: 'must be product=flagKgPerHa/rejectKgPerHa pairs, like paddy=6500/10000',
      })
      .optional(),
  })
  .superRefine((env, ctx) => {
    if (env.DATABASE_URL && !env.ID_ENCRYPTION_KEY) {
      ctx.addIssue({
        code: 'custom',
        path: ['ID_ENCRYPTION_KEY'],
        message: 'is required with DATABASE_URL (openssl rand -base64 32)',
      });
    }
    if (env.DATABASE_URL && !env.LABEL_SIGNING_KEY) {
      ctx.addIssue({
        code: 'custom',
        path: ['LABEL_SIGNING_KEY'],
        message:
          'is required with DATABASE_URL, or printed labels stop verifying (openssl rand -base64 32)',
      });
    }
    if (env.DATABASE_URL && !env.LOG_SIGNING_KEY) {
      ctx.addIssue({
        code: 'custom',
        path: ['LOG_SIGNING_KEY'],
        message:
          'is required with DATABASE_URL, or each process signs the log with a key of its own (openssl rand -base64 32)',
      });
    }
    if (env.MILLING_RATIO_MIN >= env.MILLING_RATIO_MAX) {
      ctx.addIssue({
        code: 'custom',
        path: ['MILLING_RATIO_MIN'],
        message: 'must be below MILLING_RATIO_MAX',
      });
    }
  });

export type Env = z.infer<typeof envSchema>;

function isAddressOrRange(entry: string): boolean {
  const [address, bits, ...rest] = entry.split('/');
  const family = isIP(address ?? '');
  if (family === 0 || rest.length > 0) return false;
  if (bits === undefined) return true;
  const n = Number(bits);
  return /^\d{1,3}$/.test(bits) && n >= 0 && n <= (family === 4 ? 32 : 128);
}

/** Typed, validated configuration; the only place the process environment is read. */
export class AppConfig {
  readonly port: number;
  readonly host: string;
  readonly databaseUrl: string | null;
  readonly dataDir: string;
  readonly idEncryptionKey: Buffer | null;
  readonly idEncryptionKeyId: string;
  readonly conversionMonths: number;
  readonly bodyLimitBytes: number;
  readonly demoData: 'auto' | 'off';
  readonly logLevel: Env['LOG_LEVEL'];
  readonly mapMaxFeatures: number;
  readonly webDist: string;
  readonly mapTileUrl: string;
  readonly mapTileAttribution: string;
  readonly previousIdKeys: Map<string, Buffer>;
  readonly authTokenSecret: Buffer | null;
  readonly accessTokenTtlSeconds: number;
  readonly refreshTokenTtlDays: number;
  readonly loginMaxFailures: number;
  readonly loginLockMinutes: number;
  readonly loginRateLimitPerMinute: number;
  readonly publicRateLimitPerMinute: number;
  readonly publicSignedRateLimitPerMinute: number;
  readonly corsOrigins: string[];
  readonly pageMemoryMb: number;
  /** Proxies whose X-Forwarded-For names the client; nobody else's is believed. */
  readonly trustedProxies: string[];
  readonly labelSigningKey: Buffer | null;
  readonly labelSigningKeyId: string;
  readonly previousLabelKeys: Map<string, Buffer>;
  readonly publicBaseUrl: string;
  /** The Ed25519 seed that signs the log's checkpoints. */
  readonly logSigningKey: Buffer | null;
  /** The log's name in its checkpoints, and its key's name. */
  readonly logOrigin: string;
  /** How often pending events join the log; 0: only when asked (tests). */
  readonly logAppendIntervalMs: number;
  /** Witnesses whose cosignatures of checkpoints are accepted and shown (C2SP verifier keys). */
  readonly witnessKeys: string[];
  readonly millingRatio: MillingRatio;
  readonly yieldLimits: Record<string, YieldLimit>;
  readonly overDelivery: 'refuse' | 'warn';
  readonly contractDocumentMaxBytes: number;
  /** Largest file an import takes (a workbook, a zipped Shapefile). */
  readonly importMaxBytes: number;

  constructor(env: Env) {
    this.port = env.PORT;
    this.host = env.HOST;
    this.databaseUrl = env.DATABASE_URL ?? null;
    this.dataDir = env.DATA_DIR;
    this.idEncryptionKey = env.ID_ENCRYPTION_KEY
      ? Buffer.from(env.ID_ENCRYPTION_KEY, 'base64')
      : null;
    this.idEncryptionKeyId = env.ID_ENCRYPTION_KEY_ID;
    this.conversionMonths = env.CONVERSION_MONTHS;
    this.bodyLimitBytes = env.BODY_LIMIT_BYTES;
    this.demoData = env.DEMO_DATA;
    this.logLevel = env.LOG_LEVEL;
    this.mapMaxFeatures = env.MAP_MAX_FEATURES;
    this.webDist = env.WEB_DIST;
    this.mapTileUrl = env.MAP_TILE_URL;
    this.mapTileAttribution = env.MAP_TILE_ATTRIBUTION;
    this.previousIdKeys = keyPairs(env.ID_ENCRYPTION_PREVIOUS_KEYS);
    this.authTokenSecret = env.AUTH_TOKEN_SECRET
      ? Buffer.from(env.AUTH_TOKEN_SECRET, 'base64')
      : null;
    this.accessTokenTtlSeconds = env.ACCESS_TOKEN_TTL_SECONDS;
    this.refreshTokenTtlDays = env.REFRESH_TOKEN_TTL_DAYS;
    this.loginMaxFailures = env.LOGIN_MAX_FAILURES;
    this.loginLockMinutes = env.LOGIN_LOCK_MINUTES;
    this.loginRateLimitPerMinute = env.LOGIN_RATE_LIMIT_PER_MINUTE;
    this.publicRateLimitPerMinute = env.PUBLIC_RATE_LIMIT_PER_MINUTE;
    this.publicSignedRateLimitPerMinute = env.PUBLIC_SIGNED_RATE_LIMIT_PER_MINUTE;
    this.trustedProxies = env.TRUSTED_PROXIES
      ? env.TRUSTED_PROXIES.split(',').map((entry) => entry.trim())
      : [];
    this.pageMemoryMb = env.PAGE_MEMORY_MB;
    this.corsOrigins = (env.CORS_ORIGINS ?? '')
      .split(',')
      .map((o) => o.trim())
      .filter(Boolean);
    this.labelSigningKey = env.LABEL_SIGNING_KEY
      ? Buffer.from(env.LABEL_SIGNING_KEY, 'base64')
      : null;
    this.labelSigningKeyId = env.LABEL_SIGNING_KEY_ID;
    this.previousLabelKeys = keyPairs(env.LABEL_SIGNING_PREVIOUS_KEYS);
    this.publicBaseUrl = env.PUBLIC_BASE_URL ?? `http://localhost:${env.PORT}`;
    this.logSigningKey = env.LOG_SIGNING_KEY ? Buffer.from(env.LOG_SIGNING_KEY, 'base64') : null;
    this.logOrigin = env.LOG_ORIGIN ?? `${new URL(this.publicBaseUrl).host}/log`;
    this.logAppendIntervalMs = env.LOG_APPEND_INTERVAL_MS;
    this.witnessKeys = (env.WITNESS_KEYS ?? '')
      .split(',')
      .map((k) => k.trim())
      .filter(Boolean);
    this.millingRatio = { min: env.MILLING_RATIO_MIN, max: env.MILLING_RATIO_MAX };
    this.overDelivery = env.OVER_DELIVERY;
    this.contractDocumentMaxBytes = env.CONTRACT_DOCUMENT_MAX_BYTES;
    this.importMaxBytes = env.IMPORT_MAX_BYTES;
    this.yieldLimits = { ...DEFAULT_YIELD_LIMITS };
    for (const pair of (env.YIELD_LIMITS ?? '').split(',').filter(Boolean)) {
      const [product, limits] = pair.split('=') as [string, string];
      const [flag, reject] = limits.split('/').map(Number) as [number, number];
      this.yieldLimits[product] = { flagKgPerHa: flag, rejectKgPerHa: reject };
    }
  }

  get databaseKind(): 'embedded' | 'postgres' {
    return this.databaseUrl ? 'postgres' : 'embedded';
  }

  /** In-memory embedded databases (`DATA_DIR=memory://`) are for tests and benchmarks. */
  get inMemory(): boolean {
    return this.dataDir.startsWith('memory://');
  }
}

/** `keyId:base64Key,…` as the *_PREVIOUS_KEYS variables hold them. */
function keyPairs(value: string | undefined): Map<string, Buffer> {
  return new Map(
    (value ?? '')
      .split(',')
      .filter(Boolean)
      .map((pair) => {
        const [id, key] = pair.split(':') as [string, string];
        return [id, Buffer.from(key, 'base64')];
      }),
  );
}

export class ConfigError extends Error {}

/** Reads the environment; a wrong variable throws a message naming it. */
export function loadConfig(
  source: NodeJS.ProcessEnv | Record<string, string | undefined>,
): AppConfig {
  const cleaned = Object.fromEntries(
    Object.entries(source).filter(([, value]) => value !== undefined && value !== ''),
  );
  const parsed = envSchema.safeParse(cleaned);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => `  ${issue.path.join('.')}: ${issue.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  return new AppConfig(parsed.data);
}
