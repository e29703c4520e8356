import { randomBytes, randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer as createHttpServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname, join } from 'node:path';
import { createSqliteStore, openSqlite } from '@switchyard/db';
import type { SqliteStore } from '@switchyard/db';
import { createEngine } from '@switchyard/engine';
import type { Engine } from '@switchyard/engine';
import { ticketInputSchema } from '@switchyard/flow';
import type { ServerConfig } from './config';
import { createServerEffects } from './effects';
import { HttpError, toHttpError } from './http-error';
import { sendError, sendJson } from './http';
import { createIntake } from './intake';
import { createMailIntake } from './mail/mail-intake';
import { createMailRepository } from './mail/mail-repository';
import { createSmtpTransport } from './mail/outbound';
import type { MailTransport } from './mail/outbound';
import { createMailSpooler, startSmtpIntake } from './mail/smtp';
import type { SmtpIntake } from './mail/smtp';
import { createMailSpool } from './mail/spool';
import { createConsoleServices } from './analytics';
import { createClassifierService } from './classifier/service';
import { createModels } from './models';
import { getOpenApiDocument } from './openapi';
import { createRepository } from './repository';
import type { Repository } from './repository';
import { createRestHandler } from './rest';
import { createStaticHandler } from './static';
import { createSubmitHandler } from './submit';
import type { RateLimit } from './submit';
import { createTrpcHandler } from './trpc';
import { createChangeFeed, withTicketHooks } from './ticket-hooks';
import { DEFAULT_TEMPLATES_DIR, readSampleTickets, seedDatabase } from './seed';
import type { SeedResult } from './seed';

export interface CreateServerOptions {
  /** Where the templates published on first start live (default: SWITCHYARD_TEMPLATES_DIR, else the repository's templates/). */
  readonly templatesDir?: string;
  /** Log lines (default: console.error). */
  readonly log?: (line: string) => void;
  /** Scheduler period in ms (default 1000): fires due timers and delivers due effects. */
  readonly tickMs?: number;
  /** Create each published template's sample tickets on first start (default true). */
  readonly seedSamples?: boolean;
  /** Outbound fetch (tests). */
  readonly fetch?: typeof fetch;
  /** Outbound name resolution (tests). */
  readonly resolve?: (host: string) => Promise<readonly string[]>;
  /** The built web app (default: apps/web/dist). */
  readonly webDir?: string;
  /** Outbound mail transport (tests); default: SMTP_OUT_URL through nodemailer, else the outbox. */
  readonly mailTransport?: MailTransport;
  /** Web form submissions per client address (default 10 per 10 minutes). */
  readonly submitRateLimit?: RateLimit;
}

export interface SwitchyardServer {
  /** Base URL the server listens on, e.g. http://localhost:3000. */
  readonly url: string;
  /** Port of the SMTP intake, or null when SMTP_PORT=off. */
  readonly smtpPort: number | null;
  readonly engine: Engine;
  readonly store: SqliteStore;
  readonly repository: Repository;
  readonly seed: SeedResult;
  /** Sample tickets created on this start. */
  readonly samples: number;
  /** One scheduler pass now (tests; the loop runs it every second). */
  tick(): Promise<void>;
  /** Stops accepting, finishes in-flight requests and the running tick, closes the database. */
  close(): Promise<void>;
}

/** A secret kept in `<dataDir>/<name>`, generated on first use. */
function loadSecret(config: ServerConfig, name: string): string {
  const path = join(config.dataDir, name);
  if (existsSync(path)) return readFileSync(path, 'utf8').trim();
  const secret = randomBytes(32).toString('base64url');
  writeFileSync(path, `${secret}\n`, { mode: 0o600 });
  return secret;
}

/**
 * Starts Switchyard: SQLite (migrated), the engine on the SQLite store with the real clock, the
 * scheduler loop, the REST intake and the health checks, on one node:http server.
 *
 * @example
 * const server = await createServer(loadConfig(process.env));
 * console.log(server.url);
 * await server.close();
 */
export async function createServer(
  config: ServerConfig,
  options: CreateServerOptions = {},
): Promise<SwitchyardServer> {
  const log =
    options.log ??
    ((line: string) => {
      console.error(line);
    });
  const now = () => Date.now();
  const templatesDir = options.templatesDir ?? config.templatesDir;
  mkdirSync(config.dataDir, { recursive: true });
  mkdirSync(dirname(config.databasePath), { recursive: true });
  const db = openSqlite(config.databasePath);
  const store = createSqliteStore(db);
  const repository = createRepository(db, now);
  const mailRepository = createMailRepository(db, now);
  const effects = createServerEffects({
    dataDir: config.dataDir,
    webhookSecret: config.webhookSecret ?? loadSecret(config, 'webhook-secret'),
    outboundAllowlist: config.outboundAllowlist,
    now,
    ...(options.fetch && { fetch: options.fetch }),
    ...(options.resolve && { resolve: options.resolve }),
    mail: {
      from: config.supportAddress,
      transport:
        options.mailTransport ??
        (config.smtpOutUrl === undefined ? undefined : createSmtpTransport(config.smtpOutUrl)),
      thread: (ticketId) => mailRepository.listInbound(ticketId),
      record: (messageId, ticketId) => {
        try {
          mailRepository.record(messageId, ticketId, 'outbound');
        } catch (error: unknown) {
          // Threading is a convenience: the mail still goes out.
          log(`mail ${messageId}: not recorded for threading: ${String(error)}`);
        }
      },
    },
  });
  // The engine writes through the ticket hooks: reply e-mails join the step's outbox, and
  // committed steps reach tRPC subscribers (tickets.onChange).
  const changes = createChangeFeed();
  // Dashboards, reports, survey links (their rows are written as survey mails commit).
  const consoleServices = createConsoleServices({
    db,
    now,
    timeZone: config.timeZone,
    surveySecret: loadSecret(config, 'survey-secret'),
  });
  // Trained classifier models of the published versions (filled after seeding, below).
  const models = createModels(config.dataDir, now, log);
  const engine = createEngine({
    models: models.registry,
    store: consoleServices.surveys.withSurveyRows(withTicketHooks(store, changes)),
    clock: { now },
    effects,
    timeZone: config.timeZone,
    createId: () => randomUUID(),
    links: {
      ticket: (number) => `${config.publicUrl}/tickets/${number}`,
      survey: (number) => `${config.publicUrl}/survey/${consoleServices.surveys.getToken(number)}`,
      approval: (number) => `${config.publicUrl}/tickets/${number}#approve`,
    },
  });

  let seed: SeedResult;
  try {
    seed = await seedDatabase({
      store,
      repository,
      templatesDir: templatesDir ?? DEFAULT_TEMPLATES_DIR,
      models: models.store,
      adminEmail: config.adminEmail,
      adminPassword: config.adminPassword,
      bootstrapToken: config.bootstrapToken,
      log,
    });
  } catch (error: unknown) {
    await store.close();
    db.close();
    throw error;
  }
  models.registry.load((versionId) => repository.getVersionDocument(versionId) !== null);
  // Trained-model registry and background training (jobs a previous process left are failed).
  const classifier = createClassifierService({ db, audit: repository.audit, models, now, log });

  // Demo tickets through the same engine path as the intake, idempotent by sample name.
  let samples = 0;
  if (options.seedSamples !== false) {
    for (const template of seed.published) {
      for (const sample of readSampleTickets(template.dir)) {
        const parsed = ticketInputSchema.safeParse(sample.input);
        if (!parsed.success) {
          log(`sample ${template.flowId}/${sample.name} skipped: ${parsed.error.message}`);
          continue;
        }
        await engine.createTicket(parsed.data, {
          flowVersionId: template.versionId,
          idempotencyKey: `sample:${template.flowId}:${sample.name}`,
        });
        samples++;
      }
    }
  }

  // --- e-mail intake ---------------------------------------------------------------------------
  const intake = createIntake({ engine, repository });
  const mailIntake = createMailIntake({ intake, engine, store, mailRepository });
  const spooler = createMailSpooler({
    spool: createMailSpool(config.dataDir, now),
    mailIntake,
    log,
    now,
  });
  let smtp: SmtpIntake | null = null;
  try {
    // Mails accepted before a crash first, so replies find the tickets their originals open.
    await spooler.drain();
    if (config.smtpPort !== null) {
      smtp = await startSmtpIntake({
        host: config.smtpHost,
        port: config.smtpPort,
        supportAddress: config.supportAddress,
        maxMessageBytes: config.smtpMaxMessageBytes,
        mailIntake,
        spooler,
        log,
      }).catch((error: unknown) => {
        const code = (error as { code?: unknown }).code;
        throw new Error(
          code === 'EADDRINUSE'
            ? `SMTP_PORT ${config.smtpPort} is in use; set SMTP_PORT to another port or off`
            : `the SMTP intake could not listen on ${config.smtpHost}:${config.smtpPort}: ${String(error)}`,
        );
      });
    }
  } catch (error: unknown) {
    await classifier.close();
    await store.close();
    db.close();
    throw error;
  }

  // --- scheduler -------------------------------------------------------------------------------
  let running: Promise<void> | null = null;
  async function runTick(): Promise<void> {
    try {
      await engine.fireDueTimers();
      await engine.deliverDueEffects();
      await spooler.drain();
      consoleServices.reports.runSchedule();
    } catch (error: unknown) {
      log(`scheduler: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    }
  }
  function tick(): Promise<void> {
    running ??= runTick().finally(() => {
      running = null;
    });
    return running;
  }
  const timer = setInterval(() => void tick(), options.tickMs ?? 1000);
  timer.unref();

  // --- HTTP ------------------------------------------------------------------------------------
  const rest = createRestHandler({
    engine,
    intake,
    store,
    repository,
    publicUrl: config.publicUrl,
  });
  const openApi = getOpenApiDocument(config.publicUrl);
  const trpc = createTrpcHandler({
    repository,
    store,
    engine,
    changes,
    publicUrl: config.publicUrl,
    now,
    console: consoleServices,
    classifier,
    ...(templatesDir !== undefined && { templatesDir }),
  });
  const submitForm = createSubmitHandler({
    intake,
    secret: loadSecret(config, 'form-secret'),
    now,
    secureCookies: config.publicUrl.startsWith('https:'),
    log,
    ...(options.submitRateLimit && { rateLimit: options.submitRateLimit }),
  });
  const web = createStaticHandler(options.webDir);
  if (!web.available) log('web app not built yet: run `npm run build -w @switchyard/web`');

  async function route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const method = req.method ?? 'GET';
    if (url.pathname === '/healthz') {
      sendJson(res, 200, { status: 'ok' });
      return;
    }
    if (url.pathname === '/readyz') {
      const ready = repository.checkReady();
      sendJson(
        res,
        ready.ok ? 200 : 503,
        ready.ok ? { status: 'ready' } : { status: 'not ready', reason: ready.reason },
      );
      return;
    }
    if (url.pathname === '/api/v1/openapi.json' && method === 'GET') {
      sendJson(res, 200, openApi);
      return;
    }
    if (url.pathname.startsWith('/trpc/')) {
      trpc(req, res);
      return;
    }
    if (await rest(req, res, url)) return;
    if (await submitForm(req, res, url)) return;
    if (!url.pathname.startsWith('/api/') && web.handle(req, res, url.pathname)) return;
    throw new HttpError('not_found', `No route for ${method} ${url.pathname}`);
  }

  const server = createHttpServer((req, res) => {
    route(req, res).catch((error: unknown) => {
      const httpError = toHttpError(error);
      if (httpError.status >= 500) {
        log(
          `${req.method ?? ''} ${req.url ?? ''}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
        );
      }
      if (res.headersSent) res.destroy();
      else sendError(res, httpError);
    });
  });
  server.requestTimeout = 30_000;
  server.headersTimeout = 10_000;

  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(config.port, config.host, () => {
        server.off('error', reject);
        resolve();
      });
    });
  } catch (error: unknown) {
    clearInterval(timer);
    await smtp?.close();
    // (a tick may have started meanwhile; the closure-assigned variable is not narrowed here)
    await Promise.resolve(running);
    await classifier.close();
    await store.close();
    db.close();
    throw error;
  }
  const address = server.address() as AddressInfo;
  const host = config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host;
  const url = `http://${host}:${address.port}`;

  let closing: Promise<void> | null = null;
  async function close(): Promise<void> {
    clearInterval(timer);
    changes.close(); // open SSE subscriptions end, or server.close() would wait for them
    const stopped = new Promise<void>((resolve) => {
      server.close(() => {
        resolve();
      });
    });
    server.closeIdleConnections();
    // Both listeners stop accepting at once; mails being received are spooled and processed.
    await Promise.all([stopped, smtp?.close()]);
    await classifier.close();
    await running;
    await store.close();
    db.close();
  }

  return {
    url,
    smtpPort: smtp?.port ?? null,
    engine,
    store,
    repository,
    seed,
    samples,
    tick,
    close: () => (closing ??= close()),
  };
}
