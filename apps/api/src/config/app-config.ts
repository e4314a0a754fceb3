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
    MAP_MAX_FEATURES: z.coerce.number().int().min(100).max(50_000).default(5_000),
  })
  .superRefine((env, ctx) => {
    if (env.DATABASE_URL && !env.ID_ENCRYPTION_KEY) {
      ctx.addIssue({
        code: 'custom',
        path: ['ID_ENCRYPTION_KEY'],
        message: 'is required with DATABASE_URL (openssl rand -base64 32)',
      });
    }
  });

export type Env = z.infer<typeof envSchema>;

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
  }

  get databaseKind(): 'embedded' | 'postgres' {
    return this.databaseUrl ? 'postgres' : 'embedded';
  }

  /** In-memory embedded databases (`DATA_DIR=memory://`) are for tests and benchmarks. */
  get inMemory(): boolean {
    return this.dataDir.startsWith('memory://');
  }
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
