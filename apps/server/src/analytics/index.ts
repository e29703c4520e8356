import type { SqliteDatabase } from '@switchyard/db';
import { createCustomers } from './customers';
import { createAnalytics } from './dashboard';
import { createReports } from './reports';
import { createSurveys } from './surveys';
import { createTimelines } from './timeline';
import { createViews } from './views';

export interface ConsoleServicesOptions {
  readonly db: SqliteDatabase;
  readonly now: () => number;
  /** The server's time zone: default of dashboards, zone of scheduled reports. */
  readonly timeZone: string;
  /** Signs survey links (kept in the data directory). */
  readonly surveySecret: string;
}

/**
 * Everything the operations console reads beyond the ticket API: dashboards, reports, the
 * customer panel, saved views, ticket timelines, and survey links. Raw SQL on the server's read
 * connection; ticket changes still go through the engine only.
 */
export function createConsoleServices(options: ConsoleServicesOptions) {
  const analytics = createAnalytics(options.db);
  return {
    timeZone: options.timeZone,
    analytics,
    reports: createReports(options.db, analytics, {
      timeZone: options.timeZone,
      now: options.now,
    }),
    surveys: createSurveys({ db: options.db, secret: options.surveySecret, now: options.now }),
    customers: createCustomers(options.db),
    views: createViews(options.db, options.now),
    timelines: createTimelines(options.db),
  };
}

export type ConsoleServices = ReturnType<typeof createConsoleServices>;
