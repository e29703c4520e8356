import { resolve } from 'node:path';
import { z } from 'zod';

/** A bare mailbox (no display name); `localhost` is allowed as the domain for the demo. */
const MAILBOX =
  /^[^\s@<>()",;:]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*$/;

const DEFAULT_SMTP_PORT = 2525;

/** Largest inbound e-mail accepted by default (10 MB); bigger ones are refused with 552. */
const DEFAULT_MAX_MESSAGE_BYTES = 10 * 1024 * 1024;

const optionalText = z
  .string()
  .trim()
  .transform((value) => (value === '' ? undefined : value))
  .optional();

const envSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65_535).default(3000),
  HOST: z.string().trim().min(1).default('0.0.0.0'),
  SWITCHYARD_DATA_DIR: z.string().trim().min(1).default('./data'),
  DATABASE_URL: optionalText.pipe(
    z.string().startsWith('file:', 'Only SQLite is supported yet: use file:<path>').optional(),
  ),
  PUBLIC_URL: optionalText.pipe(
    z.url('Must be an absolute URL like http://localhost:3000').optional(),
  ),
  SWITCHYARD_ADMIN_EMAIL: optionalText.pipe(z.email('Must be an e-mail address').optional()),
  SWITCHYARD_ADMIN_PASSWORD: optionalText.pipe(
    z.string().min(8, 'Use at least 8 characters').optional(),
  ),
  SWITCHYARD_BOOTSTRAP_TOKEN: optionalText.pipe(
    z.string().min(16, 'Use at least 16 characters').optional(),
  ),
  SWITCHYARD_TIME_ZONE: optionalText.pipe(
    z
      .string()
      .refine(isTimeZone, 'Not an IANA time zone (e.g. Asia/Shanghai, Europe/Berlin, UTC)')
      .optional(),
  ),
  SWITCHYARD_WEBHOOK_SECRET: optionalText.pipe(
    z.string().min(16, 'Use at least 16 characters').optional(),
  ),
  SWITCHYARD_OUTBOUND_ALLOWLIST: optionalText,
  SWITCHYARD_TEMPLATES_DIR: optionalText,
  SMTP_PORT: z
    .string()
    .trim()
    .default(String(DEFAULT_SMTP_PORT))
    .transform((value, ctx) => {
      if (value === '') return DEFAULT_SMTP_PORT;
      if (value.toLowerCase() === 'off') return null;
      const port = /^\d{1,5}$/.test(value) ? Number(value) : Number.NaN;
      if (!(port >= 0 && port <= 65_535)) {
        ctx.addIssue({
          code: 'custom',
          message: 'Use a port number 0–65535 (0 = any free port) or off to disable e-mail intake',
        });
        return z.NEVER;
      }
      return port;
    }),
  SMTP_HOST: optionalText,
  SMTP_OUT_URL: optionalText.pipe(
    z
      .string()
      .refine(isSmtpUrl, 'Must be smtp://[user:password@]host[:port] or smtps://…')
      .optional(),
  ),
  SMTP_SUPPORT_ADDRESS: optionalText.pipe(
    z.string().regex(MAILBOX, 'Must be a plain e-mail address like support@example.com').optional(),
  ),
  SMTP_MAX_MESSAGE_SIZE: z.coerce
    .number()
    .int('Use a whole number of bytes')
    .min(1024, 'At least 1024 bytes')
    .max(100 * 1024 * 1024, 'At most 100 MB (104857600 bytes)')
    .default(DEFAULT_MAX_MESSAGE_BYTES),
});

/** Everything the server reads from its environment, validated once at start. */
export interface ServerConfig {
  readonly port: number;
  readonly host: string;
  readonly dataDir: string;
  /** SQLite file path (from `DATABASE_URL=file:<path>` or `<dataDir>/switchyard.db`). */
  readonly databasePath: string;
  readonly publicUrl: string;
  readonly adminEmail: string | undefined;
  readonly adminPassword: string | undefined;
  readonly bootstrapToken: string | undefined;
  readonly timeZone: string;
  /** HMAC key for outbound webhooks; generated and kept in the data dir when not set. */
  readonly webhookSecret: string | undefined;
  /** Hosts (names or addresses) outbound HTTP may reach even if private or loopback. */
  readonly outboundAllowlist: readonly string[];
  /** Templates published on first start (`SWITCHYARD_TEMPLATES_DIR`; default: the repository's). */
  readonly templatesDir: string | undefined;
  /** Inbound SMTP port (`SMTP_PORT`, default 2525; 0 = any free port); null when `off`. */
  readonly smtpPort: number | null;
  /** Address the SMTP intake listens on (`SMTP_HOST`, default: HOST). */
  readonly smtpHost: string;
  /** Outbound SMTP server (`SMTP_OUT_URL`); without it mails stay in the local outbox. */
  readonly smtpOutUrl: string | undefined;
  /** The mailbox that takes tickets in, and the From of outbound mail (lower case). */
  readonly supportAddress: string;
  /** Largest inbound message in bytes (`SMTP_MAX_MESSAGE_SIZE`, default 10 MB). */
  readonly smtpMaxMessageBytes: number;
}

/** Thrown when the environment does not fit; the message names every bad variable. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  constructor(readonly issues: readonly { readonly variable: string; readonly message: string }[]) {
    super(
      `Invalid configuration:\n${issues.map((i) => `  ${i.variable}: ${i.message}`).join('\n')}`,
    );
  }
}

function isSmtpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === 'smtp:' || url.protocol === 'smtps:') && url.hostname !== '';
  } catch {
    return false;
  }
}

function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/**
 * Reads and validates the server configuration from environment variables.
 *
 * @example
 * const config = loadConfig(process.env); // throws ConfigError naming e.g. PORT
 */
export function loadConfig(env: Readonly<Record<string, string | undefined>>): ServerConfig {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((issue) => ({
        variable: issue.path.map(String).join('.') || '(environment)',
        message: issue.message,
      })),
    );
  }
  const e = parsed.data;
  const dataDir = resolve(e.SWITCHYARD_DATA_DIR);
  const databasePath =
    e.DATABASE_URL === undefined
      ? resolve(dataDir, 'switchyard.db')
      : resolve(e.DATABASE_URL.slice('file:'.length));
  return {
    port: e.PORT,
    host: e.HOST,
    dataDir,
    databasePath,
    publicUrl: (e.PUBLIC_URL ?? `http://localhost:${e.PORT}`).replace(/\/+$/, ''),
    adminEmail: e.SWITCHYARD_ADMIN_EMAIL,
    adminPassword: e.SWITCHYARD_ADMIN_PASSWORD,
    bootstrapToken: e.SWITCHYARD_BOOTSTRAP_TOKEN,
    timeZone: e.SWITCHYARD_TIME_ZONE ?? Intl.DateTimeFormat().resolvedOptions().timeZone,
    webhookSecret: e.SWITCHYARD_WEBHOOK_SECRET,
    outboundAllowlist: (e.SWITCHYARD_OUTBOUND_ALLOWLIST ?? '')
      .split(',')
      .map((host) => host.trim().toLowerCase())
      .filter((host) => host !== ''),
    templatesDir:
      e.SWITCHYARD_TEMPLATES_DIR === undefined ? undefined : resolve(e.SWITCHYARD_TEMPLATES_DIR),
    smtpPort: e.SMTP_PORT,
    smtpHost: e.SMTP_HOST ?? e.HOST,
    smtpOutUrl: e.SMTP_OUT_URL,
    supportAddress: (e.SMTP_SUPPORT_ADDRESS ?? 'support@localhost').toLowerCase(),
    smtpMaxMessageBytes: e.SMTP_MAX_MESSAGE_SIZE,
  };
}
