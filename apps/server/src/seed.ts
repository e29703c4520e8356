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
import { getContentHash, toCanonicalJson } from './canonical-json';
import { getModelIds } from './models';
import type { ModelStore } from './models';
import type { Repository } from './repository';
import { BOOTSTRAP_SCOPES, generatePassword, hashPassword } from './auth';

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

/** What a template asks to be created in the settings: its calendars and its scenarios' agents. */
interface TemplateSettings {
  /** The template's folder name. */
  readonly name: string;
  readonly flowId: string;
  readonly calendars: readonly Calendar[];
  readonly agents: readonly AgentRecord[];
}

interface SettingsPlan {
  readonly calendars: Calendar[];
  readonly agents: AgentRecord[];
  /** One line per clash, naming both templates and what was done. */
  readonly notes: string[];
}

/** `base` if free, else `base-2`, `base-3`, …, each at most 64 characters (an id). */
function getFreeId(base: string, taken: ReadonlyMap<string, unknown>): string {
  const stem = base.slice(0, 64);
  if (!taken.has(stem)) return stem;
  for (let n = 2; ; n++) {
    const suffix = `-${String(n)}`;
    const candidate = `${base.slice(0, 64 - suffix.length)}${suffix}`;
    if (!taken.has(candidate)) return candidate;
  }
}

/**
 * Merges the settings of all templates into one company's settings without letting one template
 * change another's behaviour. Templates are taken in order; the first to declare an id owns it.
 * - A calendar declared again with other hours keeps the first template's row; the later flow
 *   still runs on its own calendar (the engine reads a flow's calendars from its machine).
 * - A team staffed by an earlier template with other agents keeps those agents only: the later
 *   template's agents for that team are not created (they would join the earlier template's
 *   least-loaded pool and take its lead's and director's escalations).
 * - An agent id taken by another agent gets the template's flow id as prefix
 *   (`<flowId>-<agentId>`): agents are not named by flows, so nothing else changes.
 * - A shift naming a calendar the template does not declare is dropped (the template's own
 *   scenarios run that agent always on shift), so it never picks up another template's hours.
 * Identical calendars and agents declared by several templates are shared silently.
 */
function planTemplateSettings(templates: readonly TemplateSettings[]): SettingsPlan {
  const calendars = new Map<string, { calendar: Calendar; owner: string; text: string }>();
  const agents = new Map<string, { agent: AgentRecord; owner: string; text: string }>();
  const teams = new Map<string, { owner: string; text: string }>();
  const notes: string[] = [];
  for (const template of templates) {
    const own = new Set<string>();
    for (const calendar of template.calendars) {
      own.add(calendar.id);
      const text = toCanonicalJson(calendar);
      const seen = calendars.get(calendar.id);
      if (seen === undefined) {
        calendars.set(calendar.id, { calendar, owner: template.name, text });
      } else if (seen.text !== text && seen.owner !== template.name) {
        notes.push(
          `template ${template.name}: calendar ${calendar.id} differs from template ${seen.owner}'s calendar with that id; the settings keep ${seen.owner}'s, ${template.name}'s flow keeps its own (give one of them another id)`,
        );
      }
    }
    const byTeam = new Map<string, AgentRecord[]>();
    for (const declared of template.agents) {
      let agent = declared;
      if (agent.shiftCalendarId !== null && !own.has(agent.shiftCalendarId)) {
        notes.push(
          `template ${template.name}: agent ${agent.id}'s shift names calendar ${agent.shiftCalendarId}, which the template does not declare; created without a shift`,
        );
        agent = { ...agent, shiftCalendarId: null };
      }
      byTeam.set(agent.teamId, [...(byTeam.get(agent.teamId) ?? []), agent]);
    }
    for (const [teamId, members] of byTeam) {
      const text = toCanonicalJson([...members].sort((a, b) => a.id.localeCompare(b.id)));
      const staffed = teams.get(teamId);
      if (staffed !== undefined && staffed.owner !== template.name && staffed.text !== text) {
        notes.push(
          `template ${template.name}: team ${teamId} is already staffed by template ${staffed.owner}; its agents for that team (${members.map((a) => a.id).join(', ')}) were not created, so ${staffed.owner}'s assignments and escalations stay as they were (give the team another id in one of the templates)`,
        );
        continue;
      }
      if (staffed === undefined) teams.set(teamId, { owner: template.name, text });
      for (const agent of members) {
        const agentText = toCanonicalJson(agent);
        const seen = agents.get(agent.id);
        if (seen === undefined) {
          agents.set(agent.id, { agent, owner: template.name, text: agentText });
        } else if (seen.text !== agentText) {
          const id = getFreeId(`${template.flowId}-${agent.id}`, agents);
          notes.push(
            `template ${template.name}: agent id ${agent.id} is taken by another agent of template ${seen.owner}; created as ${id}`,
          );
          agents.set(id, { agent: { ...agent, id }, owner: template.name, text: agentText });
        }
      }
    }
  }
  return {
    calendars: [...calendars.values()].map((entry) => entry.calendar),
    agents: [...agents.values()].map((entry) => entry.agent),
    notes,
  };
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
 * the agents its `scenarios.json` declares (clashes between templates resolved by
 * {@link planTemplateSettings}). Called on start when no flow version exists yet.
 */
export function publishTemplates(options: PublishTemplatesOptions): PublishedTemplate[] {
  const { store, templatesDir, log } = options;
  const published: PublishedTemplate[] = [];
  const settings: TemplateSettings[] = [];
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
    const calendars: Calendar[] = declared?.success === true ? [...declared.data] : [];
    let agents: AgentRecord[] = [];
    const scenariosPath = join(dir, 'scenarios.json');
    if (existsSync(scenariosPath)) {
      const scenarios = scenarioFileSchema.safeParse(readJson(scenariosPath));
      if (scenarios.success) {
        calendars.push(...(scenarios.data.calendars ?? []));
        agents = (scenarios.data.agents ?? []).map(toAgentRecord);
      } else {
        log(`template ${name}: scenarios.json is invalid, its agents were not created`);
      }
    }
    settings.push({ name, flowId, calendars, agents });
  }
  const plan = planTemplateSettings(settings);
  for (const note of plan.notes) log(note);
  options.saveCalendars?.(plan.calendars);
  if (plan.agents.length > 0) store.saveAgents(plan.agents);
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
    repository.createToken(options.bootstrapToken, 'bootstrap', BOOTSTRAP_SCOPES, null);
    bootstrapTokenCreated = true;
  }
  return { published, admin, bootstrapTokenCreated };
}
