import { randomUUID } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { compileFlow } from '@switchyard/compiler';
import type { SqliteStore } from '@switchyard/db';
import { calendarSchema, formatDiagnostic } from '@switchyard/flow';
import type { Calendar } from '@switchyard/flow';
import { scenarioFileSchema, toAgentRecord } from '@switchyard/engine';
import type { AgentRecord } from '@switchyard/engine';
import { getContentHash } from './canonical-json';
import { getModelIds } from './models';
import type { ModelStore } from './models';
import type { Repository } from './repository';
import { API_SCOPES, generatePassword, hashPassword } from './auth';

/** The repository's templates folder. */
export const DEFAULT_TEMPLATES_DIR = fileURLToPath(new URL('../../../templates/', import.meta.url));

/** The template bound to the intake channels in the demo. */
export const DEMO_FLOW_ID = 'saas-login';
export const DEMO_CHANNELS = ['web', 'email', 'api'] as const;

export interface PublishedTemplate {
  readonly flowId: string;
  readonly versionId: string;
  readonly contentHash: string;
  /** The template's folder (its `samples/*.json` are demo tickets). */
  readonly dir: string;
}

/** The sample tickets of a template (`samples/*.json`), by file name, unvalidated. */
export function readSampleTickets(
  dir: string,
): { readonly name: string; readonly input: unknown }[] {
  const samples = join(dir, 'samples');
  if (!existsSync(samples)) return [];
  return readdirSync(samples)
    .filter((name) => name.endsWith('.json'))
    .sort()
    .map((name) => ({ name, input: readJson(join(samples, name)) }));
}

function readJson(path: string): unknown {
  return JSON.parse(readFileSync(path, 'utf8')) as unknown;
}

/** Stores the models a template's flow uses (`models/<modelId>.json` beside it); id → hash. */
function storeTemplateModels(
  name: string,
  dir: string,
  modelIds: readonly string[],
  models: ModelStore,
  log: (line: string) => void,
): Record<string, string> {
  const hashes: Record<string, string> = {};
  for (const modelId of modelIds) {
    const path = join(dir, 'models', `${modelId}.json`);
    if (!existsSync(path)) {
      log(
        `template ${name}: its flow uses model "${modelId}" but ${path} does not exist; tickets no rule matches stay unclassified`,
      );
      continue;
    }
    try {
      hashes[modelId] = models.put(readJson(path));
    } catch (error: unknown) {
      log(
        `template ${name}: model ${path} was not stored: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  }
  return hashes;
}

export interface PublishTemplatesOptions {
  readonly store: SqliteStore;
  readonly templatesDir: string;
  readonly log: (line: string) => void;
  /** Where the trained models of the flows go (pinned to the version before it is written). */
  readonly models: ModelStore;
  /** Saves the templates' calendars (before the agents, whose shifts name them). */
  readonly saveCalendars?: (calendars: readonly Calendar[]) => void;
}

/**
 * Publishes every `templates/<name>/flow.json` that compiles as version 1 of its flow, with the
 * trained models its classify steps use (`models/<modelId>.json`), and saves the calendars and
 * the agents its `scenarios.json` declares. Called on start when no flow version exists yet.
 */
export function publishTemplates(options: PublishTemplatesOptions): PublishedTemplate[] {
  const { store, templatesDir, log } = options;
  const published: PublishedTemplate[] = [];
  const agents = new Map<string, AgentRecord>();
  // Agents' shifts name the templates' calendars: those rows must exist before the agents.
  const calendars = new Map<string, Calendar>();
  const names = existsSync(templatesDir) ? readdirSync(templatesDir).sort() : [];
  for (const name of names) {
    const flowPath = join(templatesDir, name, 'flow.json');
    if (!existsSync(flowPath)) continue;
    const document = readJson(flowPath);
    const result = compileFlow(document);
    const flowId =
      typeof document === 'object' &&
      document !== null &&
      'id' in document &&
      typeof document.id === 'string'
        ? document.id
        : name;
    const flowName =
      typeof document === 'object' &&
      document !== null &&
      'name' in document &&
      typeof document.name === 'string'
        ? document.name
        : name;
    if (result.machine === undefined || result.sourceMap === undefined) {
      log(
        `template ${name} was not published: ${result.diagnostics.map((d) => formatDiagnostic(d)).join('; ')}`,
      );
      continue;
    }
    const dir = join(templatesDir, name);
    const version = {
      id: randomUUID(),
      flowId,
      contentHash: getContentHash(document),
      machine: result.machine,
      sourceMap: result.sourceMap,
    };
    const modelIds = getModelIds(result.machine);
    options.models.pin(
      version.id,
      flowId,
      storeTemplateModels(name, dir, modelIds, options.models, log),
    );
    store.addFlowVersion(version, { document: JSON.stringify(document), flowName, number: 1 });
    published.push({ flowId, versionId: version.id, contentHash: version.contentHash, dir });

    const declared =
      typeof document === 'object' && document !== null && 'calendars' in document
        ? calendarSchema.array().safeParse(document.calendars)
        : null;
    for (const calendar of declared?.success === true ? declared.data : []) {
      if (!calendars.has(calendar.id)) calendars.set(calendar.id, calendar);
    }
    const scenariosPath = join(dir, 'scenarios.json');
    if (existsSync(scenariosPath)) {
      const scenarios = scenarioFileSchema.safeParse(readJson(scenariosPath));
      if (scenarios.success) {
        for (const agent of scenarios.data.agents ?? []) agents.set(agent.id, toAgentRecord(agent));
      } else {
        log(`template ${name}: scenarios.json is invalid, its agents were not created`);
      }
    }
  }
  options.saveCalendars?.([...calendars.values()]);
  if (agents.size > 0) store.saveAgents([...agents.values()]);
  return published;
}

export interface SeedOptions {
  readonly store: SqliteStore;
  readonly repository: Repository;
  readonly templatesDir: string;
  /** Where the templates' trained models are stored. */
  readonly models: ModelStore;
  readonly adminEmail: string | undefined;
  readonly adminPassword: string | undefined;
  readonly bootstrapToken: string | undefined;
  readonly log: (line: string) => void;
}

export interface SeedResult {
  readonly published: readonly PublishedTemplate[];
  /** Set when an admin was created; `generatedPassword` only when it was generated. */
  readonly admin: { readonly email: string; readonly generatedPassword: string | null } | null;
  readonly bootstrapTokenCreated: boolean;
}

/**
 * First-start seeding, each part only on an empty table: templates published and the demo flow
 * bound to the web/email/api channels; the bootstrap admin; the bootstrap API token.
 */
export async function seedDatabase(options: SeedOptions): Promise<SeedResult> {
  const { repository } = options;
  let published: PublishedTemplate[] = [];
  if (repository.countFlowVersions() === 0) {
    published = publishTemplates({
      store: options.store,
      templatesDir: options.templatesDir,
      log: options.log,
      models: options.models,
      saveCalendars: (calendars) => {
        for (const calendar of calendars) repository.upsertCalendar(calendar, null);
      },
    });
    if (published.some((template) => template.flowId === DEMO_FLOW_ID)) {
      for (const channel of DEMO_CHANNELS) repository.bindChannel(channel, DEMO_FLOW_ID);
    }
  }
  let admin: SeedResult['admin'] = null;
  if (repository.countUsers() === 0) {
    const email = options.adminEmail ?? 'admin@localhost';
    const generatedPassword = options.adminPassword === undefined ? generatePassword() : null;
    repository.createUser({
      email,
      name: 'Administrator',
      passwordHash: await hashPassword(options.adminPassword ?? generatedPassword ?? ''),
      role: 'admin',
    });
    admin = { email, generatedPassword };
  }
  let bootstrapTokenCreated = false;
  if (options.bootstrapToken !== undefined && repository.countTokens() === 0) {
    repository.createToken(options.bootstrapToken, 'bootstrap', API_SCOPES, null);
    bootstrapTokenCreated = true;
  }
  return { published, admin, bootstrapTokenCreated };
}
