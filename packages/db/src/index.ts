export {
  applyMigrations,
  getMigrationChecksum,
  getPendingMigrations,
  MigrationError,
  MIGRATIONS_TABLE,
  readMigrations,
  SQLITE_MIGRATIONS_DIR,
} from './migrations';
export type {
  AppliedMigration,
  ApplyMigrationsOptions,
  Migration,
  MigrationErrorCode,
} from './migrations';
export { openSqlite, SQLITE_BUSY_TIMEOUT_MS, SQLITE_PRAGMAS, toSqliteTimestamp } from './sqlite';
export type { SqliteDatabase } from './sqlite';
export { createPrismaClient } from './prisma';
export { createSqliteStore } from './sqlite-store';
export type {
  FlowVersionExtras,
  SqliteStore,
  SqliteStoreBatching,
  SqliteStoreOptions,
  SqliteStoreStats,
} from './sqlite-store';
export {
  EffectKind,
  EffectStatus,
  MailDirection,
  Prisma,
  PrismaClient,
  Role,
  TimerStatus,
} from './generated/prisma/client';
export type {
  Agent,
  ApiToken,
  AuditLog,
  Calendar,
  ChannelBinding,
  Flow,
  FlowVersion,
  MailMessage,
  OutboxEffect,
  Session,
  Survey,
  Team,
  Ticket,
  TicketEvent,
  TicketSequence,
  Timer,
  User,
} from './generated/prisma/client';
