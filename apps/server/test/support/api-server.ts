import { createServer, hashPassword, loadConfig } from '../../src/index';
import type { SwitchyardServer } from '../../src/index';
import { createTempDir } from './temp';
import { createTestClient } from './trpc-client';
import type { TestClient } from './trpc-client';

export const PASSWORD = 'a long enough password';
export const USERS = {
  admin: 'admin@localhost',
  agent: 'agent@example.com',
  viewer: 'viewer@example.com',
} as const;

export interface ApiServer {
  readonly server: SwitchyardServer;
  readonly dataDir: string;
  /** A fresh client (own cookie jar) signed in as the role, or anonymous for null. */
  as(role: keyof typeof USERS | null): Promise<TestClient>;
  close(): Promise<void>;
}

/**
 * A disposable Switchyard on a real port in a temporary data folder, with one user per role.
 * The scheduler is slowed down: tests tick by hand.
 */
export async function startApiServer(
  options: { seedSamples?: boolean; templatesDir?: string } = {},
): Promise<ApiServer> {
  const dir = createTempDir();
  const server = await createServer(
    loadConfig({
      PORT: '0',
      HOST: '127.0.0.1',
      SWITCHYARD_DATA_DIR: dir.path,
      SWITCHYARD_ADMIN_PASSWORD: PASSWORD,
      SWITCHYARD_TIME_ZONE: 'Asia/Shanghai',
      SMTP_PORT: 'off',
    }),
    {
      log: () => undefined,
      tickMs: 3_600_000,
      seedSamples: options.seedSamples ?? false,
      ...(options.templatesDir !== undefined && { templatesDir: options.templatesDir }),
    },
  );
  for (const role of ['agent', 'viewer'] as const) {
    server.repository.createUser({
      email: USERS[role],
      name: role,
      passwordHash: await hashPassword(PASSWORD),
      role,
    });
  }
  return {
    server,
    dataDir: dir.path,
    async as(role) {
      const client = createTestClient(server.url);
      if (role !== null) await client.login(USERS[role], PASSWORD);
      return client;
    },
    async close() {
      await server.close();
      dir[Symbol.dispose]();
    },
  };
}
