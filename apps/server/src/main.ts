import process from 'node:process';
import { ConfigError, loadConfig } from './config';
import { createServer } from './server';

/**
 * `npm start`: reads the environment, starts the server with the seeded demo, prints the URLs,
 * and shuts down gracefully on SIGTERM/SIGINT. Returns the process exit code on a start failure.
 */
export async function main(): Promise<number | undefined> {
  const print = (line: string) => process.stdout.write(`${line}\n`);
  let config;
  try {
    config = loadConfig(process.env);
  } catch (error: unknown) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      return 2;
    }
    throw error;
  }
  let server;
  try {
    server = await createServer(config);
  } catch (error: unknown) {
    const code = (error as { code?: unknown }).code;
    const reason =
      code === 'EADDRINUSE'
        ? `port ${config.port} is in use; set PORT to another one`
        : error instanceof Error
          ? error.message
          : String(error);
    process.stderr.write(`Switchyard could not start: ${reason}\n`);
    return 1;
  }
  const { seed } = server;
  print(`Switchyard is running at ${server.url}`);
  print(`  Health      ${server.url}/healthz  ·  ready ${server.url}/readyz`);
  print(`  REST intake ${server.url}/api/v1/tickets  (OpenAPI: ${server.url}/api/v1/openapi.json)`);
  print(`  Web form    ${server.url}/submit`);
  if (server.smtpPort === null) {
    print('  E-mail      intake off (SMTP_PORT=off)');
  } else {
    const smtpHost =
      config.smtpHost === '0.0.0.0' || config.smtpHost === '::' ? 'localhost' : config.smtpHost;
    print(
      `  E-mail      smtp://${smtpHost}:${server.smtpPort}  (mail to ${config.supportAddress} opens a ticket)`,
    );
  }
  print(
    `  Outbound    ${config.smtpOutUrl === undefined ? `mail kept in ${config.dataDir}/mail-outbox.jsonl (set SMTP_OUT_URL to send)` : `mail via ${new URL(config.smtpOutUrl).host}`}`,
  );
  print(`  Database    ${config.databasePath}  ·  time zone ${config.timeZone}`);
  for (const template of seed.published) {
    print(`  Published   ${template.flowId} (version 1, ${template.contentHash.slice(0, 12)})`);
  }
  if (server.samples > 0) print(`  Demo        ${server.samples} sample tickets created`);
  if (seed.admin !== null) {
    print(`  Admin       ${seed.admin.email}`);
    if (seed.admin.generatedPassword !== null) {
      print(
        `  Password    ${seed.admin.generatedPassword}   (shown once; set SWITCHYARD_ADMIN_PASSWORD to choose it)`,
      );
    }
  }
  if (seed.bootstrapTokenCreated) {
    print(
      '  API token   SWITCHYARD_BOOTSTRAP_TOKEN created with scopes tickets:write tickets:read',
    );
  }

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    print(`${signal}: finishing in-flight work and closing the database…`);
    server.close().then(
      () => {
        print('Switchyard stopped.');
        process.exit(0);
      },
      (error: unknown) => {
        process.stderr.write(`Shutdown failed: ${String(error)}\n`);
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => {
    stop('SIGTERM');
  });
  process.on('SIGINT', () => {
    stop('SIGINT');
  });
  return undefined;
}
