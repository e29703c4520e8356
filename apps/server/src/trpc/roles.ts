import type { Role } from '../repository';

export type { Role };

const ALL = ['admin', 'agent', 'viewer'] as const;
const STAFF = ['admin', 'agent'] as const;
const ADMIN = ['admin'] as const;

/**
 * Which roles may call each procedure: the one table every procedure checks (by its own path,
 * see `procedure()` in core.ts), and the table the RBAC test walks. `public` procedures need no
 * session. Admins change flows, publish and settings; agents work tickets; viewers read.
 */
export const PROCEDURE_ROLES = {
  'auth.login': 'public',
  'auth.me': 'public',
  'auth.logout': ALL,
  'auth.setLanguage': ALL,

  'flows.list': ALL,
  'flows.get': ALL,
  'flows.create': ADMIN,
  'flows.saveDraft': ADMIN,
  'flows.delete': ADMIN,
  'flows.import': ADMIN,
  'flows.exportMachine': ALL,

  'versions.list': ALL,
  'versions.get': ALL,
  'versions.diff': ALL,
  'versions.publish': ADMIN,
  'versions.rollback': ADMIN,
  'versions.replay': ALL,
  'versions.simulate': ALL,

  'scenarios.list': ALL,
  'scenarios.save': STAFF,
  'scenarios.delete': STAFF,
  'scenarios.run': ALL,

  'templates.list': ALL,
  'templates.import': ADMIN,

  'tickets.list': ALL,
  'tickets.get': ALL,
  'tickets.onChange': ALL,
  'tickets.reply': STAFF,
  'tickets.comment': STAFF,
  'tickets.resolve': STAFF,
  'tickets.approve': STAFF,
  'tickets.reject': STAFF,
  'tickets.transfer': STAFF,
  'tickets.setPriority': STAFF,
  'tickets.reopen': STAFF,

  'settings.teams.list': ALL,
  'settings.teams.upsert': ADMIN,
  'settings.teams.delete': ADMIN,
  'settings.agents.list': ALL,
  'settings.agents.upsert': ADMIN,
  'settings.agents.delete': ADMIN,
  'settings.calendars.list': ALL,
  'settings.calendars.upsert': ADMIN,
  'settings.calendars.delete': ADMIN,
  'settings.bindings.list': ALL,
  'settings.bindings.set': ADMIN,

  'users.list': ADMIN,
  'users.create': ADMIN,
  'users.update': ADMIN,
  'users.resetPassword': ADMIN,

  'tokens.list': ADMIN,
  'tokens.create': ADMIN,
  'tokens.revoke': ADMIN,

  'audit.list': ADMIN,

  // The operations console (routers/console.ts).
  'dashboard.get': ALL,
  'dashboard.options': ALL,
  'reports.list': ALL,
  'reports.get': ALL,
  'reports.generate': STAFF,
  'reports.csv': ALL,
  'customers.get': ALL,
  'views.list': ALL,
  'views.save': ALL,
  'views.delete': ALL,
  'timeline.get': ALL,
  // Trained classifier models (routers/classifier.ts): everyone reads (the designer's picker and
  // simulator), admins train and archive.
  'classifier.models.list': ALL,
  'classifier.models.get': ALL,
  'classifier.models.download': ALL,
  'classifier.models.archive': ADMIN,
  'classifier.train': ADMIN,
  'classifier.jobs.list': ADMIN,
  'classifier.jobs.get': ADMIN,

  'survey.get': 'public',
  'survey.answer': 'public',
} as const satisfies Record<string, 'public' | readonly Role[]>;

export type ProcedurePath = keyof typeof PROCEDURE_ROLES;
