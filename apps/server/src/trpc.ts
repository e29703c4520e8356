import type { IncomingMessage } from 'node:http';
import type { SqliteStore } from '@switchyard/db';
import type { Engine } from '@switchyard/engine';
import { createHTTPHandler } from '@trpc/server/adapters/standalone';
import type { ConsoleServices } from './analytics';
import type { ClassifierService } from './classifier/service';
import type { Repository } from './repository';
import { createTicketViews } from './rest';
import { auditRouter, tokensRouter, usersRouter } from './routers/admin';
import { authRouter, SESSION_COOKIE } from './routers/auth';
import { classifierRouter } from './routers/classifier';
import {
  customersRouter,
  dashboardRouter,
  reportsRouter,
  surveyRouter,
  timelineRouter,
  viewsRouter,
} from './routers/console';
import { flowsRouter } from './routers/flows';
import { scenariosRouter } from './routers/scenarios';
import { settingsRouter } from './routers/settings';
import { templatesRouter } from './routers/templates';
import { ticketsRouter } from './routers/tickets';
import { versionsRouter } from './routers/versions';
import { DEFAULT_TEMPLATES_DIR } from './seed';
import type { ChangeFeed } from './ticket-hooks';
import { t } from './trpc/core';
import type { Services, TrpcContext } from './trpc/core';

export { PROCEDURE_ROLES } from './trpc/roles';
export type { ProcedurePath, Role } from './trpc/roles';
export { SESSION_COOKIE };

/** The whole API; `import type { AppRouter } from '@switchyard/server'` in the web app. */
export const appRouter = t.router({
  auth: authRouter,
  flows: flowsRouter,
  versions: versionsRouter,
  scenarios: scenariosRouter,
  templates: templatesRouter,
  tickets: ticketsRouter,
  settings: settingsRouter,
  users: usersRouter,
  tokens: tokensRouter,
  audit: auditRouter,
  dashboard: dashboardRouter,
  reports: reportsRouter,
  customers: customersRouter,
  views: viewsRouter,
  timeline: timelineRouter,
  survey: surveyRouter,
  classifier: classifierRouter,
});

export type AppRouter = typeof appRouter;

function readCookie(req: IncomingMessage, name: string): string | null {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const [key, ...rest] = part.trim().split('=');
    if (key === name) {
      try {
        return decodeURIComponent(rest.join('='));
      } catch {
        return null;
      }
    }
  }
  return null;
}

export interface TrpcOptions {
  readonly repository: Repository;
  readonly store: SqliteStore;
  readonly engine: Engine;
  /** Committed ticket steps, for `tickets.onChange` (see ticket-hooks.ts). */
  readonly changes: ChangeFeed;
  readonly publicUrl: string;
  readonly now: () => number;
  /** Where `templates.list` reads from (default: the repository's templates/). */
  readonly templatesDir?: string;
  readonly console: ConsoleServices;
  readonly classifier: ClassifierService;
}

/** The tRPC API at /trpc (node:http handler, SSE for subscriptions); sessions from the cookie. */
export function createTrpcHandler(options: TrpcOptions) {
  const services: Services = {
    repository: options.repository,
    store: options.store,
    engine: options.engine,
    changes: options.changes,
    views: createTicketViews(options.repository, options.publicUrl),
    templatesDir: options.templatesDir ?? DEFAULT_TEMPLATES_DIR,
    now: options.now,
    loginFailures: new Map(),
    secureCookies: options.publicUrl.startsWith('https:'),
    console: options.console,
    classifier: options.classifier,
  };
  return createHTTPHandler({
    router: appRouter,
    basePath: '/trpc/',
    createContext({ req, res }): TrpcContext {
      const sessionToken = readCookie(req, SESSION_COOKIE);
      const user = sessionToken === null ? null : options.repository.getSessionUser(sessionToken);
      return { req, res, user, sessionToken, services };
    },
  });
}
