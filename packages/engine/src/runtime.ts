import { createKeywordClassifier } from '@switchyard/classifier';
import type { KeywordClassifier } from '@switchyard/classifier';
import type {
  ActionRef,
  JsonValue,
  MachineJson,
  StateNodeJson,
  TransitionJson,
} from '@switchyard/compiler';
import { createExpressionEnvironment, toCelValue } from '@switchyard/expr';
import type {
  CelContext,
  CelValue,
  CompiledExpression,
  ExpressionEnvironment,
  TypeSpec,
} from '@switchyard/expr';
import { getConditionSchema, parseDuration, PRIORITIES, renderTemplate } from '@switchyard/flow';
import type {
  Calendar,
  KeywordRule,
  Priority,
  Team,
  Ticket,
  TicketField,
  TicketStatus,
} from '@switchyard/flow';
import { assign, enqueueActions, raise, setup } from 'xstate';
import type { AgentState } from './assignment';
import { normalizeSkills, pickAgent } from './assignment';
import { parseTicketNumber } from './ticket-number';
import type { BusinessCalendar } from './calendar';
import { renderBodyTemplate, renderHeaderTemplate, renderUrlTemplate } from './http-template';
import {
  addBusinessTime,
  compileCalendar,
  getBusinessTimeBetween,
  isBusinessTime,
} from './calendar';
import type { TicketEvent } from './events';
import type { AgentRecord, NewEffect, TimerRecord } from './store';
import type { GuardTrace, TimerTrace } from './trace';

/** What the machine keeps besides the ticket: timers and the SLA clock. Part of the snapshot. */
export interface RuntimeState {
  /** Active timers by key. */
  readonly timers: Readonly<
    Record<string, { readonly generation: number; readonly dueAt: string }>
  >;
  /** Increases with every scheduled timer so a re-entered state never reuses a timer id. */
  readonly generation: number;
  readonly sla: SlaState | null;
  /** Assignment decisions made so far (counts per node) — keys for recorded decisions. */
  readonly assignments: number;
  /** False when the team works its queue itself (`queue` strategy): no automatic assignment later. */
  readonly autoAssign?: boolean;
  /** True once an end (or a close) released the assignee's slot; a reopen takes it back. */
  readonly ended?: boolean;
  /**
   * Skills the last assign step required (normalized, see `normalizeSkills`); absent when none.
   * The team queue hands the ticket only to an agent holding all of them. Tickets stored before
   * this field existed have none recorded and go to any agent of the team.
   */
  readonly requiredSkills?: readonly string[];
}

/** The runtime state with `requiredSkills` set, or removed when there are none. */
function withRequiredSkills(runtime: RuntimeState, skills: readonly string[]): RuntimeState {
  const { requiredSkills: _previous, ...rest } = runtime;
  return skills.length > 0 ? { ...rest, requiredSkills: skills } : rest;
}

export interface SlaState {
  readonly nodeId: string;
  readonly calendar: string | null;
  readonly responseMs: number;
  readonly resolutionMs: number;
  readonly respondedAt: string | null;
  readonly pausedAt: string | null;
  /** Business time left on each clock while paused. */
  readonly remaining: Readonly<Record<string, number>>;
  readonly level: number;
  readonly escalation: readonly EscalationStep[];
  /** Interval of reminders after the last level (0 = none). */
  readonly repeatMs?: number;
}

interface EscalationStep {
  readonly ms: number;
  readonly reassignTo: 'none' | 'team-lead' | 'director';
  readonly notify: readonly string[];
  readonly message: { readonly subject: string; readonly body: string };
}

export interface MachineContext {
  readonly ticket: Ticket;
  readonly runtime: RuntimeState;
}

/** A model the classify node can use (trained intent models are resolved by id). */
export interface IntentModel {
  predict(text: string): { label: string; confidence: number };
}

/** Links rendered into messages (`{{links.ticket}}`, …); the server signs survey tokens. */
export interface LinkBuilder {
  ticket(number: string): string;
  survey(number: string): string;
  approval(number: string): string;
}

/** The per-event scope actions write into. Set by the engine around each `send`. */
export interface StepScope {
  readonly now: number;
  readonly event: TicketEvent;
  readonly agents: readonly AgentRecord[];
  readonly replay: boolean;
  /** Decisions recorded when the step first ran; consulted on replay. */
  readonly recorded: Readonly<Record<string, JsonValue>>;
  readonly decisions: Record<string, JsonValue>;
  readonly effects: Omit<NewEffect, 'idempotencyKey'>[];
  readonly schedule: TimerRecord[];
  readonly cancel: TimerTrace[];
  readonly guards: GuardTrace[];
  readonly entered: string[];
  readonly edges: string[];
  readonly notes: string[];
  readonly agentLoad: { agentId: string; delta: number; at: string }[];
}

export interface RuntimeOptions {
  readonly models?: { get(modelId: string): IntentModel | undefined };
  readonly links: LinkBuilder;
  /** Calendars by id beyond those the flow declares (company calendars, agent shifts). */
  readonly calendars?: readonly Calendar[];
}

type Params = Readonly<Record<string, JsonValue | undefined>>;
/** External events plus the SLA signals the machine raises to itself. */
type MachineEvent = TicketEvent | { readonly type: 'SLA.START' | 'SLA.PAUSE' | 'SLA.RESUME' };
/** An assign action's implementation: the context changes it makes. */
type Assigner = (
  args: { readonly context: MachineContext; readonly event: MachineEvent },
  params: Params,
) => Partial<MachineContext>;

let lastIsoMs = Number.NaN;
let lastIso = '';
/** ISO time of `ms`; actions format the step's `now` many times, so the last one is kept. */
function iso(ms: number): string {
  if (ms !== lastIsoMs) {
    lastIso = new Date(ms).toISOString();
    lastIsoMs = ms;
  }
  return lastIso;
}

/** A string param, or the fallback when the param is missing or not a string. */
function str(value: JsonValue | undefined, fallback = ''): string {
  return typeof value === 'string' ? value : fallback;
}

/**
 * Give every transition that implements an edge an `__edge` action, so the trace records taken
 * edges without relying on inspection internals. The stored machine JSON is not changed.
 */
function withEdgeActions(state: StateNodeJson): StateNodeJson {
  const mark = (list: readonly TransitionJson[] | undefined) =>
    list?.map((t) =>
      t.meta?.edgeId === undefined
        ? t
        : {
            ...t,
            actions: [
              ...(t.actions ?? []),
              { type: '__edge' as never, params: { edgeId: t.meta.edgeId } },
            ],
          },
    );
  return {
    ...state,
    ...(state.always && { always: mark(state.always) }),
    ...(state.on && {
      on: Object.fromEntries(Object.entries(state.on).map(([k, v]) => [k, mark(v) ?? []])),
    }),
    ...(state.states && {
      states: Object.fromEntries(
        Object.entries(state.states).map(([k, v]) => [k, withEdgeActions(v)]),
      ),
    }),
  };
}

/**
 * `startSla` assigns the clocks, then raises `SLA.START`: written as those two actions, its assign
 * can join the node's other assigns.
 */
function expand(action: ActionRef): ActionRef[] {
  return action.type === 'startSla'
    ? [
        { type: '__startSla' as never, ...(action.params && { params: action.params }) },
        { type: '__raiseSlaStart' as never },
      ]
    : [action];
}

/**
 * Replace each run of two or more consecutive assign actions with one `__assigns` action that
 * applies them in order. XState copies the whole snapshot after every assign action; a node's
 * entry (`enterNode` then `classify`, say) then costs one copy instead of two. Assign actions run
 * in order with the context each one left, so the result is the same.
 */
function withMergedAssigns(
  state: StateNodeJson,
  isAssign: (type: string) => boolean,
): StateNodeJson {
  const merge = (list: readonly ActionRef[] | undefined): ActionRef[] | undefined => {
    if (list === undefined) return undefined;
    const out: ActionRef[] = [];
    let run: ActionRef[] = [];
    const flush = () => {
      if (run.length === 1 && run[0] !== undefined) out.push(run[0]);
      else if (run.length > 1)
        out.push({
          type: '__assigns' as never,
          params: { actions: run.map((a) => ({ type: a.type, params: a.params ?? {} })) },
        });
      run = [];
    };
    for (const action of list.flatMap(expand)) {
      if (isAssign(action.type)) run.push(action);
      else {
        flush();
        out.push(action);
      }
    }
    flush();
    return out;
  };
  const mergeTransitions = (list: readonly TransitionJson[] | undefined) =>
    list?.map((t) => (t.actions === undefined ? t : { ...t, actions: merge(t.actions) }));
  return {
    ...state,
    ...(state.entry && { entry: merge(state.entry) }),
    ...(state.exit && { exit: merge(state.exit) }),
    ...(state.always && { always: mergeTransitions(state.always) }),
    ...(state.on && {
      on: Object.fromEntries(
        Object.entries(state.on).map(([k, v]) => [k, mergeTransitions(v) ?? []]),
      ),
    }),
    ...(state.states && {
      states: Object.fromEntries(
        Object.entries(state.states).map(([k, v]) => [k, withMergedAssigns(v, isAssign)]),
      ),
    }),
  };
}

/** A compiled condition and the top-level fields it reads of `ticket` and `event`. */
interface Condition {
  readonly expression: CompiledExpression;
  readonly ticketFields: readonly string[] | null;
  readonly eventFields: readonly string[] | null;
}

/**
 * The fields of `variable` an expression reads, when it only ever reads `variable.field`; null when
 * it uses the variable any other way (whole, indexed, as a macro variable), so all of it is needed.
 * A name inside a string literal at worst adds a field: never fewer fields than the expression reads.
 */
function getReadFields(source: string, variable: 'ticket' | 'event'): readonly string[] | null {
  const fields = new Set<string>();
  const pattern = new RegExp(`\\b${variable}\\b(?:\\s*\\.\\s*([A-Za-z_][A-Za-z0-9_]*))?`, 'g');
  for (const match of source.matchAll(pattern)) {
    const field = match[1];
    if (field === undefined) return null;
    fields.add(field);
  }
  return [...fields];
}

/** The named fields of a record (all of it when `fields` is null or it is not a record). */
function pick(value: unknown, fields: readonly string[] | null): unknown {
  if (fields === null || typeof value !== 'object' || value === null || Array.isArray(value))
    return value;
  const source = value as Record<string, unknown>;
  const picked: Record<string, unknown> = {};
  for (const field of fields) if (Object.hasOwn(source, field)) picked[field] = source[field];
  return picked;
}

function metaArray<T>(machine: MachineJson, key: string): T[] {
  const value = machine.meta?.[key];
  return Array.isArray(value) ? (value as unknown as T[]) : [];
}

/** The `ticket.…` / `event.…` paths each expression reads, found once per expression. */
const inputPaths = new Map<string, readonly (readonly [string, readonly string[]])[]>();

/** Values an expression reads, for explain-why: `ticket.category` → "fault". */
function getInputs(expression: string, values: Record<string, unknown>): Record<string, JsonValue> {
  let paths = inputPaths.get(expression);
  if (paths === undefined) {
    paths = [...expression.matchAll(/\b(ticket|event)((?:\.[A-Za-z_][A-Za-z0-9_]*)+)/g)].map(
      (match) => [match[0], match[0].split('.')] as const,
    );
    if (inputPaths.size > 10_000) inputPaths.clear();
    inputPaths.set(expression, paths);
  }
  const inputs: Record<string, JsonValue> = {};
  for (const [path, parts] of paths) {
    let value: unknown = values;
    for (const part of parts) {
      value =
        typeof value === 'object' && value !== null
          ? (value as Record<string, unknown>)[part]
          : undefined;
    }
    inputs[path] = toJsonValue(value);
  }
  return inputs;
}

function toJsonValue(value: unknown): JsonValue {
  if (value === undefined) return null;
  if (typeof value === 'bigint') return Number(value);
  if (value instanceof Date) return value.toISOString();
  if (value === null || typeof value !== 'object') return value as JsonValue;
  return JSON.parse(
    JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? Number(v) : v)),
  ) as JsonValue;
}

/**
 * The machine for one flow version, with every named guard and action implemented. Created once
 * per version; CEL conditions are compiled once here, never per event.
 */
export function createFlowMachine(machineJson: MachineJson, options: RuntimeOptions) {
  const ticketFields = metaArray<TicketField>(machineJson, 'ticketFields');
  const teams = metaArray<Team>(machineJson, 'teams');
  const calendarList = [
    ...metaArray<Calendar>(machineJson, 'calendars'),
    ...(options.calendars ?? []),
  ];
  const calendars = new Map<string, BusinessCalendar>(
    calendarList.map((c) => [c.id, compileCalendar(c)]),
  );
  const conditionSchema = getConditionSchema(ticketFields);
  const env: ExpressionEnvironment = createExpressionEnvironment(conditionSchema);
  const ticketSpec = conditionSchema.ticket;
  const ticketFieldSpecs: Readonly<Record<string, TypeSpec>> =
    typeof ticketSpec === 'object' && ticketSpec.kind === 'object' ? ticketSpec.fields : {};
  // Every ticket field at its zero value, built once: a condition's context starts from it and
  // converts only the fields the condition reads (what `env.toContext` gives for those fields).
  const zeroTicket = env.toContext({}).ticket as Readonly<Record<string, CelValue>>;
  const expressions = new Map<string, Condition>();
  const classifiers = new Map<string, KeywordClassifier>();
  let scope: StepScope | null = null;

  const currentScope = (): StepScope => {
    if (scope === null) throw new Error('Flow actions ran outside an engine step');
    return scope;
  };
  const calendarOf = (id: JsonValue | undefined): BusinessCalendar | null =>
    typeof id === 'string' ? (calendars.get(id) ?? null) : null;

  function evaluate(
    source: string,
    ticket: Ticket,
    event: unknown,
    now: number,
  ): { result: boolean; error?: string } {
    let compiled = expressions.get(source);
    if (compiled === undefined) {
      const result = env.compile(source);
      if (!result.ok) return { result: false, error: result.error.message };
      compiled = {
        expression: result.expression,
        ticketFields: getReadFields(source, 'ticket'),
        eventFields: getReadFields(source, 'event'),
      };
      expressions.set(source, compiled);
    }
    const outcome = compiled.expression.evaluate(toConditionContext(compiled, ticket, event, now));
    if (!outcome.ok) return { result: false, error: outcome.error.message };
    return { result: outcome.value === true };
  }

  /**
   * The CEL context for one condition. Converts only the fields it reads: the rest keep their
   * zero values, which it never looks at (and TICKET.CREATED carries a whole ticket in the event).
   */
  function toConditionContext(
    condition: Condition,
    ticket: Ticket,
    event: unknown,
    now: number,
  ): CelContext {
    const fields = condition.ticketFields;
    let ticketValue: CelValue;
    if (fields === null) ticketValue = toCelValue(ticketSpec ?? { kind: 'map' }, ticket);
    else {
      const converted: Record<string, CelValue> = { ...zeroTicket };
      const source = ticket as unknown as Readonly<Record<string, unknown>>;
      for (const field of fields) {
        const spec = ticketFieldSpecs[field];
        if (spec !== undefined) converted[field] = toCelValue(spec, source[field]);
      }
      ticketValue = converted;
    }
    return {
      ticket: ticketValue,
      event: toCelValue(
        conditionSchema.event ?? { kind: 'map' },
        pick(event, condition.eventFields),
      ),
      now: toCelValue(conditionSchema.now ?? 'timestamp', now),
    };
  }

  /**
   * Evaluate a condition and record it for explain-why. `event` is the event the engine is
   * handling (`TICKET.CREATED` when the ticket is created), never one of XState's own (its init
   * event, or the SLA signals the machine raises to itself), which would show internals.
   */
  function checkCondition(expression: string, ticket: Ticket, machineEvent: unknown): boolean {
    const event = scope?.event ?? machineEvent;
    const { result, error } = evaluate(expression, ticket, event, scope?.now ?? 0);
    traceGuard({
      guard: 'cel',
      expression,
      inputs: getInputs(expression, { ticket, event }),
      result,
      ...(error !== undefined && { error }),
    });
    return result;
  }

  function traceGuard(entry: GuardTrace): void {
    scope?.guards.push(entry);
  }

  function scheduleTimer(runtime: RuntimeState, key: string, dueAt: number): RuntimeState {
    const generation = runtime.generation + 1;
    const s = currentScope();
    const previous = runtime.timers[key];
    if (previous !== undefined) s.cancel.push({ key, generation: previous.generation });
    s.schedule.push({ ticketId: '', key, generation, dueAt: iso(dueAt), status: 'scheduled' });
    return {
      ...runtime,
      generation,
      timers: { ...runtime.timers, [key]: { generation, dueAt: iso(dueAt) } },
    };
  }

  function cancelTimer(runtime: RuntimeState, key: string): RuntimeState {
    const active = runtime.timers[key];
    if (active === undefined) return runtime;
    currentScope().cancel.push({ key, generation: active.generation });
    const { [key]: _removed, ...rest } = runtime.timers;
    return { ...runtime, timers: rest };
  }

  function toAgentState(agent: AgentRecord, now: number): AgentState {
    const shift =
      agent.shiftCalendarId === null ? null : (calendars.get(agent.shiftCalendarId) ?? null);
    return {
      id: agent.id,
      name: agent.name,
      teamId: agent.teamId,
      skills: agent.skills,
      capacity: agent.capacity,
      openTickets: agent.openTickets,
      active: agent.active,
      onShift: isBusinessTime(shift, now),
      lastAssignedAt: agent.lastAssignedAt === null ? null : Date.parse(agent.lastAssignedAt),
    };
  }

  function getAssignableAgents(agents: readonly AgentRecord[], now: number): AgentState[] {
    return agents
      .filter((agent) => agent.role === 'agent')
      .map((agent) => toAgentState(agent, now));
  }

  /** Change the assignee, keeping agents' open-ticket counts in step. */
  function reassign(ticket: Ticket, team: string | null, assignee: string | null): Ticket {
    const s = currentScope();
    if (assignee !== ticket.assignee) {
      const at = iso(s.now);
      if (ticket.assignee !== null) s.agentLoad.push({ agentId: ticket.assignee, delta: -1, at });
      if (assignee !== null) s.agentLoad.push({ agentId: assignee, delta: 1, at });
    }
    return { ...ticket, team, assignee };
  }

  /** An active lead or director of the team, lowest id first (deterministic). */
  function findInTeam(teamId: string | null, role: 'lead' | 'director'): AgentRecord | undefined {
    if (teamId === null) return undefined;
    return firstById(
      currentScope().agents.filter((a) => a.role === role && a.teamId === teamId && a.active),
    );
  }

  /**
   * The director responsible for a team: the team's own director, else — directors often cover
   * several teams — the organisation's director with the lowest id, with a note saying so.
   */
  function findDirector(teamId: string | null, why: string): AgentRecord | undefined {
    const own = findInTeam(teamId, 'director');
    if (own !== undefined) return own;
    const any = firstById(currentScope().agents.filter((a) => a.role === 'director' && a.active));
    currentScope().notes.push(
      any === undefined
        ? `${why}: nobody holds the director role`
        : `${why}: team ${teamId ?? '(none)'} has no director; ${any.name} (director of team ${any.teamId}) instead`,
    );
    return any;
  }

  /**
   * The lead of a team, else (the next level of the chain agent → lead → director) its director.
   * Never another team's lead: a fallback is noted in the ticket history.
   */
  function findLead(teamId: string | null, why: string): AgentRecord | undefined {
    const lead = findInTeam(teamId, 'lead');
    if (lead !== undefined) return lead;
    currentScope().notes.push(
      `${why}: team ${teamId ?? '(none)'} has no team lead; asking its director`,
    );
    return findDirector(teamId, why);
  }

  /**
   * Who decides an approval, by the node's approver role (see the engine README):
   * `team-lead` the ticket team's lead, `director` its director, `finance` / `risk` the lead of
   * that team, `account-manager` the lead of the assignee's team (the assignee's manager),
   * `admin` the director over the ticket's team (agents carry no admin role). Each falls back
   * along lead → director with a note; with nobody at all, nobody is asked and a note says so.
   */
  function findApprover(ticket: Ticket, approver: string): AgentRecord | undefined {
    const why = `approver ${approver}`;
    switch (approver) {
      case 'director':
      case 'admin':
        return findDirector(ticket.team, why);
      case 'finance':
      case 'risk':
        return findLead(approver, why);
      case 'account-manager': {
        const assignee = currentScope().agents.find((a) => a.id === ticket.assignee);
        return findLead(assignee?.teamId ?? ticket.team, why);
      }
      default:
        return findLead(ticket.team, why);
    }
  }

  function resolveRecipients(
    ticket: Ticket,
    to: readonly string[],
    approver: string,
  ): { emails: string[]; agents: string[] } {
    const agents = currentScope().agents;
    const emails = new Set<string>();
    const ids = new Set<string>();
    const add = (agent: AgentRecord | undefined) => {
      if (agent === undefined) return;
      ids.add(agent.id);
      if (agent.email !== '') emails.add(agent.email);
    };
    for (const recipient of to) {
      switch (recipient) {
        case 'customer':
          if (ticket.customer.email !== '') emails.add(ticket.customer.email);
          break;
        case 'assignee':
          add(agents.find((a) => a.id === ticket.assignee));
          break;
        case 'team':
          for (const agent of agents) if (agent.teamId === ticket.team && agent.active) add(agent);
          break;
        case 'team-lead': {
          const lead = findInTeam(ticket.team, 'lead');
          if (lead === undefined)
            currentScope().notes.push(`team ${ticket.team ?? '(none)'} has no team lead to notify`);
          add(lead);
          break;
        }
        case 'approvers':
          add(findApprover(ticket, approver));
          break;
        case 'director':
          add(findDirector(ticket.team, 'director'));
          break;
        default:
          emails.add(recipient);
      }
    }
    return { emails: [...emails].sort(), agents: [...ids].sort() };
  }

  function templateValues(ticket: Ticket): Record<string, unknown> {
    return {
      ticket,
      links: {
        ticket: options.links.ticket(ticket.number),
        survey: options.links.survey(ticket.number),
        approval: options.links.approval(ticket.number),
      },
    };
  }

  /** Plain-text messages (email, in-app, webhook text): values as written. */
  function render(ticket: Ticket, text: string): string {
    return renderTemplate(text, templateValues(ticket));
  }

  function message(ticket: Ticket, params: Params): void {
    const s = currentScope();
    const raw = params.message as { subject?: string; body?: string } | undefined;
    const subject = render(ticket, raw?.subject ?? '');
    const body = render(ticket, raw?.body ?? '');
    const nodeId = str(params.nodeId, '');
    const channel = str(params.channel, 'email');
    if (channel === 'webhook') {
      s.effects.push({
        kind: 'webhook',
        payload: { nodeId, url: str(params.url), text: body, ticket: toJsonValue(ticket) },
      });
      return;
    }
    const to = Array.isArray(params.to) ? params.to.map(String) : [];
    const recipients = resolveRecipients(ticket, to, str(params.approver, 'team-lead'));
    if (channel === 'in-app') {
      s.effects.push({
        kind: 'in-app',
        payload: { nodeId, agents: recipients.agents, subject, body, ticket: ticket.number },
      });
      return;
    }
    if (recipients.emails.length === 0) {
      s.notes.push(`no email address for ${to.join(', ')}; message "${subject}" not sent`);
      return;
    }
    s.effects.push({
      kind: 'email',
      payload: {
        nodeId,
        to: recipients.emails,
        subject,
        body,
        ticket: ticket.number,
        ...(params.survey === true && { survey: true }),
      },
    });
  }

  function keywordClassifier(nodeId: string, rules: KeywordRule[]): KeywordClassifier {
    let classifier = classifiers.get(nodeId);
    if (classifier === undefined) {
      classifier = createKeywordClassifier(rules);
      classifiers.set(nodeId, classifier);
    }
    return classifier;
  }

  function applyEscalation(context: MachineContext, levelIndex: number): MachineContext {
    const s = currentScope();
    const sla = context.runtime.sla;
    const step = sla?.escalation[levelIndex];
    if (sla === null || step === undefined) return context;
    let ticket: Ticket = {
      ...context.ticket,
      escalationLevel: levelIndex + 1,
      status: 'escalated',
    };
    if (step.reassignTo !== 'none') {
      const why = `escalation level ${levelIndex + 1}`;
      // A team without a lead: the chain's next level (a director) takes it; no other team's lead.
      const holder =
        step.reassignTo === 'team-lead'
          ? findInTeam(ticket.team, 'lead')
          : findDirector(ticket.team, why);
      if (holder === undefined)
        s.notes.push(
          `${why}: nobody in team ${ticket.team ?? '(none)'} holds the ${step.reassignTo} role; not reassigned`,
        );
      else {
        ticket = reassign(ticket, ticket.team, holder.id);
        s.notes.push(
          `escalated to level ${levelIndex + 1}: reassigned to ${holder.name} (${step.reassignTo})`,
        );
      }
    }
    if (step.notify.length > 0)
      message(ticket, {
        nodeId: sla.nodeId,
        channel: 'email',
        to: [...step.notify],
        message: { ...step.message },
      });
    const runtime: RuntimeState = { ...context.runtime, sla: { ...sla, level: levelIndex + 1 } };
    return { ticket, runtime: scheduleNextEscalation(runtime, levelIndex + 1) };
  }

  /** Schedule the next level, or — past the last one — the next reminder, if any. */
  function scheduleNextEscalation(runtime: RuntimeState, nextIndex: number): RuntimeState {
    const sla = runtime.sla;
    if (sla === null) return runtime;
    const next = sla.escalation[nextIndex];
    const delay = next?.ms ?? sla.repeatMs ?? 0;
    if (next === undefined && delay === 0) return runtime;
    const at = addBusinessTime(calendarOf(sla.calendar), currentScope().now, delay);
    return scheduleTimer(runtime, 'sla:escalation', at);
  }

  /** After the chain is exhausted: tell the last level again, without reassigning. */
  function remindLastLevel(context: MachineContext): MachineContext {
    const sla = context.runtime.sla;
    const last = sla?.escalation.at(-1);
    if (sla === null || last === undefined) return context;
    currentScope().notes.push(
      `SLA still breached: reminder to ${last.notify.join(', ') || 'nobody'}`,
    );
    if (last.notify.length > 0) {
      message(context.ticket, {
        nodeId: sla.nodeId,
        channel: 'email',
        to: [...last.notify],
        message: { ...last.message },
      });
    }
    return { ...context, runtime: scheduleNextEscalation(context.runtime, sla.escalation.length) };
  }

  /**
   * The clocks of the ticket's last SLA start again from now with the same targets (a reopen):
   * new due times on the ticket, escalation back to level 0. A response already given stays given.
   */
  function restartSla(context: MachineContext): Partial<MachineContext> {
    const sla = context.runtime.sla;
    if (sla === null) return {};
    const s = currentScope();
    const cal = calendarOf(sla.calendar);
    let runtime = cancelTimer(
      cancelTimer(cancelTimer(context.runtime, 'sla:response'), 'sla:resolution'),
      'sla:escalation',
    );
    const resolutionDue = addBusinessTime(cal, s.now, sla.resolutionMs);
    runtime = scheduleTimer(runtime, 'sla:resolution', resolutionDue);
    let responseDue: number | null = null;
    if (sla.respondedAt === null) {
      responseDue = addBusinessTime(cal, s.now, sla.responseMs);
      runtime = scheduleTimer(runtime, 'sla:response', responseDue);
    }
    s.notes.push(`SLA restarted: resolution due ${iso(resolutionDue)}`);
    return {
      runtime: { ...runtime, sla: { ...sla, pausedAt: null, remaining: {}, level: 0 } },
      ticket: {
        ...context.ticket,
        sla: {
          responseDueAt: responseDue === null ? context.ticket.sla.responseDueAt : iso(responseDue),
          resolutionDueAt: iso(resolutionDue),
          breached: false,
        },
      },
    };
  }

  function startSla(context: MachineContext, params: Params): Partial<MachineContext> {
    const s = currentScope();
    const targets = params.targets as
      Record<Priority, { response: string; resolution: string }> | undefined;
    const target = targets?.[context.ticket.priority];
    const calendar = typeof params.calendar === 'string' ? params.calendar : null;
    const cal = calendarOf(calendar);
    const responseMs = durationMs(target?.response);
    const resolutionMs = durationMs(target?.resolution);
    const respondedAt = context.runtime.sla?.respondedAt ?? null;
    let runtime = cancelTimer(
      cancelTimer(cancelTimer(context.runtime, 'sla:response'), 'sla:resolution'),
      'sla:escalation',
    );
    const resolutionDue = addBusinessTime(cal, s.now, resolutionMs);
    runtime = scheduleTimer(runtime, 'sla:resolution', resolutionDue);
    let responseDue: number | null = null;
    if (respondedAt === null) {
      responseDue = addBusinessTime(cal, s.now, responseMs);
      runtime = scheduleTimer(runtime, 'sla:response', responseDue);
    }
    const escalation = ((params.escalation as unknown as EscalationStep[] | undefined) ?? []).map(
      (step) => ({ ...step }),
    );
    runtime = {
      ...runtime,
      sla: {
        nodeId: str(params.nodeId),
        calendar,
        responseMs,
        resolutionMs,
        respondedAt,
        pausedAt: null,
        remaining: {},
        level: 0,
        escalation,
        repeatMs: typeof params.repeatMs === 'number' ? params.repeatMs : 0,
      },
    };
    s.notes.push(
      `SLA for ${context.ticket.priority}: response ${target?.response ?? '?'}, resolution ${target?.resolution ?? '?'}${calendar ? ` (${calendar})` : ''}`,
    );
    return {
      runtime,
      ticket: {
        ...context.ticket,
        sla: {
          responseDueAt: responseDue === null ? context.ticket.sla.responseDueAt : iso(responseDue),
          resolutionDueAt: iso(resolutionDue),
          breached: false,
        },
      },
    };
  }

  /** The flow's assign actions as plain functions, so runs of them can be merged (see mergeAssigns). */
  const assigners = {
    enterNode: ({ context }, params: Params) => {
      scope?.entered.push(str(params.nodeId));
      const status = params.status as TicketStatus | undefined;
      return status === undefined ? {} : { ticket: { ...context.ticket, status } };
    },
    classify: ({ context }, params: Params) => {
      const s = currentScope();
      const nodeId = str(params.nodeId);
      const categories = new Set((params.categories as string[] | undefined) ?? []);
      const mode = str(params.mode);
      let ticket: Ticket = { ...context.ticket, category: null, subcategory: null };
      if (mode !== 'model') {
        const match = keywordClassifier(
          nodeId,
          (params.rules as unknown as KeywordRule[] | undefined) ?? [],
        ).classify({
          subject: ticket.subject,
          description: ticket.description,
        });
        if (match !== null && categories.has(match.category)) {
          s.notes.push(
            `rule "${match.ruleId}" matched ${match.matched.map((m) => `"${m.keyword}" in ${m.field}`).join(', ')}`,
          );
          const tags = [...new Set([...ticket.tags, ...match.tags])];
          return {
            ticket: {
              ...ticket,
              category: match.category,
              subcategory: match.subcategory ?? null,
              tags,
            },
          };
        }
      }
      const model = params.model as {
        modelId?: string;
        threshold?: number;
        labelMap?: Record<string, { category: string; subcategory?: string }>;
      } | null;
      if (mode !== 'rules' && model?.modelId !== undefined) {
        const intent = options.models?.get(model.modelId);
        if (intent === undefined)
          s.notes.push(`model "${model.modelId}" is not available; classified as unknown`);
        else {
          const prediction = intent.predict(`${ticket.subject}\n${ticket.description}`);
          const mapped = model.labelMap?.[prediction.label] ?? { category: prediction.label };
          const confident = prediction.confidence >= (model.threshold ?? 0.5);
          s.notes.push(
            `model predicted "${prediction.label}" with confidence ${prediction.confidence.toFixed(2)}`,
          );
          if (confident && categories.has(mapped.category)) {
            ticket = {
              ...ticket,
              category: mapped.category,
              subcategory: mapped.subcategory ?? null,
            };
          }
        }
      }
      return { ticket };
    },
    prioritize: ({ context, event }, params: Params) => {
      const s = currentScope();
      const rules =
        (params.rules as unknown as
          | {
              category?: string;
              tier?: string;
              impact?: string;
              when?: string;
              priority: Priority;
            }[]
          | undefined) ?? [];
      const { ticket } = context;
      for (const [index, rule] of rules.entries()) {
        if (rule.category !== undefined && rule.category !== ticket.category) continue;
        if (rule.tier !== undefined && rule.tier !== ticket.customer.tier) continue;
        if (rule.impact !== undefined && rule.impact !== ticket.impact) continue;
        if (rule.when !== undefined) {
          if (!checkCondition(rule.when, ticket, event)) continue;
        }
        s.notes.push(`priority ${rule.priority} from row ${index + 1}`);
        return { ticket: { ...ticket, priority: rule.priority } };
      }
      const fallback = PRIORITIES.find((p) => p === params.default) ?? 'medium';
      s.notes.push(`priority ${fallback} (default)`);
      return { ticket: { ...ticket, priority: fallback } };
    },
    assign: ({ context, event }, params: Params) => {
      const s = currentScope();
      const rules =
        (params.teamRules as unknown as { when: string; team: string }[] | undefined) ?? [];
      let team = str(params.team);
      for (const rule of rules) {
        if (checkCondition(rule.when, context.ticket, event)) {
          team = rule.team;
          break;
        }
      }
      const key = `assign:${str(params.nodeId)}:${context.runtime.assignments}`;
      const recorded = s.recorded[key];
      let agentId: string | null;
      if (s.replay && recorded !== undefined) {
        agentId = typeof recorded === 'string' ? recorded : null;
      } else {
        // Leads and directors take escalations, not the regular queue.
        const result = pickAgent(getAssignableAgents(s.agents, s.now), {
          teamId: team,
          strategy: params.strategy as 'least-loaded' | 'round-robin' | 'queue',
          requiredSkills: (params.requiredSkills as string[] | undefined) ?? [],
          turn: getTicketTurn(context.ticket.number),
        });
        agentId = result.kind === 'agent' ? result.agentId : null;
        s.notes.push(`${teamName(teams, team)}: ${result.reason}`);
      }
      s.decisions[key] = agentId;
      return {
        ticket: reassign(context.ticket, team, agentId),
        // The skills stay with the ticket: whoever takes it from the queue later needs them too.
        runtime: withRequiredSkills(
          {
            ...context.runtime,
            assignments: context.runtime.assignments + 1,
            autoAssign: params.strategy !== 'queue',
          },
          normalizeSkills((params.requiredSkills as string[] | undefined) ?? []),
        ),
      };
    },
    setFields: ({ context }, params: Params) => {
      let ticket = context.ticket;
      for (const { field, value } of (params.set as unknown as
        { field: string; value: string | number | boolean }[] | undefined) ?? []) {
        if (field.startsWith('fields.'))
          ticket = { ...ticket, fields: { ...ticket.fields, [field.slice(7)]: value } };
        else if (field === 'addTag')
          ticket = { ...ticket, tags: [...new Set([...ticket.tags, String(value)])] };
        else if (field === 'removeTag')
          ticket = { ...ticket, tags: ticket.tags.filter((t) => t !== value) };
        else ticket = { ...ticket, [field]: value };
      }
      return { ticket };
    },
    resolveTicket: ({ context }) => ({
      ticket: { ...context.ticket, status: 'resolved' as const },
    }),
    applyHttpResult: ({ context, event }, params: Params) => {
      if (event.type !== 'ACTION.COMPLETED') return {};
      let fields = context.ticket.fields;
      for (const { field, from } of (params.map as unknown as
        { field: string; from: string }[] | undefined) ?? []) {
        let value: unknown = event.body;
        for (const part of from.split('.')) {
          value =
            typeof value === 'object' && value !== null
              ? (value as Record<string, unknown>)[part]
              : undefined;
        }
        if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean')
          fields = { ...fields, [field]: value };
      }
      return { ticket: { ...context.ticket, fields } };
    },
    recordSurvey: ({ context, event }) => {
      if (event.type !== 'SURVEY.ANSWERED') return {};
      return {
        ticket: { ...context.ticket, csat: { score: event.score, resolved: event.resolved } },
      };
    },
    scheduleTimer: ({ context }, params: Params) => {
      const s = currentScope();
      const dueAt = addBusinessTime(calendarOf(params.calendar), s.now, Number(params.ms ?? 0));
      return { runtime: scheduleTimer(context.runtime, str(params.timer), dueAt) };
    },
    cancelTimer: ({ context }, params: Params) => ({
      runtime: cancelTimer(context.runtime, str(params.timer)),
    }),
    pauseSla: ({ context }) => {
      const s = currentScope();
      const sla = context.runtime.sla;
      if (sla === null) return {};
      const cal = calendarOf(sla.calendar);
      let runtime = context.runtime;
      const remaining: Record<string, number> = {};
      for (const key of ['sla:response', 'sla:resolution']) {
        const timer = runtime.timers[key];
        if (timer === undefined) continue;
        remaining[key] = getBusinessTimeBetween(cal, s.now, Date.parse(timer.dueAt));
        runtime = cancelTimer(runtime, key);
      }
      s.notes.push('SLA paused while waiting on the customer');
      return {
        runtime: { ...runtime, sla: { ...sla, pausedAt: iso(s.now), remaining } },
        ticket: {
          ...context.ticket,
          sla: { ...context.ticket.sla, responseDueAt: null, resolutionDueAt: null },
        },
      };
    },
    resumeSla: ({ context }) => {
      const s = currentScope();
      const sla = context.runtime.sla;
      if (sla?.pausedAt == null) return {};
      const cal = calendarOf(sla.calendar);
      let runtime = context.runtime;
      const due: Record<string, string> = {};
      for (const [key, ms] of Object.entries(sla.remaining)) {
        const at = addBusinessTime(cal, s.now, ms);
        due[key] = iso(at);
        runtime = scheduleTimer(runtime, key, at);
      }
      s.notes.push('SLA resumed');
      return {
        runtime: { ...runtime, sla: { ...sla, pausedAt: null, remaining: {} } },
        ticket: {
          ...context.ticket,
          sla: {
            ...context.ticket.sla,
            responseDueAt: due['sla:response'] ?? context.ticket.sla.responseDueAt,
            resolutionDueAt: due['sla:resolution'] ?? null,
          },
        },
      };
    },
    markResponded: ({ context }) => {
      const sla = context.runtime.sla;
      if (sla === null || sla.respondedAt !== null) return {};
      const now = iso(currentScope().now);
      return {
        runtime: {
          ...cancelTimer(context.runtime, 'sla:response'),
          sla: { ...sla, respondedAt: now },
        },
      };
    },
    breachSla: ({ context }, params: Params) => {
      scope?.notes.push(`SLA ${str(params.target)} target breached`);
      return {
        ticket: {
          ...context.ticket,
          status: 'escalated' as const,
          sla: { ...context.ticket.sla, breached: true },
        },
        runtime: cancelTimer(cancelTimer(context.runtime, 'sla:response'), 'sla:resolution'),
      };
    },
    escalate: ({ context, event }) => {
      const s = currentScope();
      const sla = context.runtime.sla;
      if (sla === null) return {};
      const isTimer = event.type === 'TIMER.FIRED';
      if (isTimer) {
        const fired = { ...context, runtime: cancelTimer(context.runtime, 'sla:escalation') };
        return sla.level < sla.escalation.length
          ? applyEscalation(fired, sla.level)
          : remindLastLevel(fired);
      }
      // Entering the breach: the first level applies now or after its delay.
      const first = sla.escalation[0];
      if (first === undefined) return {};
      if (first.ms === 0) return applyEscalation(context, 0);
      return {
        runtime: scheduleTimer(
          context.runtime,
          'sla:escalation',
          addBusinessTime(calendarOf(sla.calendar), s.now, first.ms),
        ),
      };
    },
    stopSla: ({ context }) => ({
      runtime: cancelTimer(
        cancelTimer(cancelTimer(context.runtime, 'sla:response'), 'sla:resolution'),
        'sla:escalation',
      ),
    }),
    applyUpdate: ({ context, event }) => {
      if (event.type !== 'TICKET.UPDATED') return {};
      const { fields, ...rest } = event.changes;
      return {
        ticket: { ...context.ticket, ...rest, fields: { ...context.ticket.fields, ...fields } },
      };
    },
    transfer: ({ context, event }) => {
      if (event.type !== 'TICKET.TRANSFERRED') return {};
      const team = event.team ?? context.ticket.team;
      const assignee =
        event.assignee === undefined
          ? event.team === undefined
            ? context.ticket.assignee
            : null
          : event.assignee;
      scope?.notes.push(`transferred to ${team ?? 'no team'}${assignee ? ` / ${assignee}` : ''}`);
      // Skills an assign step asked of the old team's agents do not bind another team.
      const runtime =
        team === context.ticket.team ? context.runtime : withRequiredSkills(context.runtime, []);
      return { ticket: reassign(context.ticket, team, assignee), runtime };
    },
    __startSla: ({ context }, params: Params) => startSla(context, params),
    // The ticket leaves every agent's queue: release the assignee's slot, once.
    endTicket: ({ context }) => {
      if (context.runtime.ended === true) return {};
      const s = currentScope();
      if (context.ticket.assignee !== null)
        s.agentLoad.push({ agentId: context.ticket.assignee, delta: -1, at: iso(s.now) });
      return { runtime: { ...context.runtime, ended: true } };
    },
    closeTicket: ({ context, event }) => {
      scope?.notes.push(`closed${describeActor(event)}`);
      return { ticket: { ...context.ticket, status: 'closed' as const } };
    },
    reopenTicket: ({ context, event }) => {
      const s = currentScope();
      s.notes.push(`reopened${describeActor(event)}`);
      const { ticket, runtime } = context;
      // An end released the assignee's slot; the reopened ticket holds it again.
      if (runtime.ended === true && ticket.assignee !== null)
        s.agentLoad.push({ agentId: ticket.assignee, delta: 1, at: iso(s.now) });
      return {
        ticket: { ...ticket, status: 'open' as const },
        runtime: { ...runtime, ended: false },
      };
    },
  } satisfies Record<string, Assigner>;
  const assignerOf = (type: string): Assigner | undefined =>
    Object.hasOwn(assigners, type) ? assigners[type as keyof typeof assigners] : undefined;

  const setupped = setup({
    types: {
      context: {} as MachineContext,
      events: {} as MachineEvent,
      input: {} as MachineContext,
    },
    guards: {
      cel: ({ context, event }, params: Params) =>
        checkCondition(str(params.expression), context.ticket, event),
      timerIs: ({ event }, params: Params) => {
        const result = event.type === 'TIMER.FIRED' && event.timerId === params.timer;
        traceGuard({
          guard: 'timerIs',
          expression: str(params.timer),
          inputs: { 'event.timerId': event.type === 'TIMER.FIRED' ? event.timerId : null },
          result,
        });
        return result;
      },
    },
    actions: {
      enterNode: assign(assigners.enterNode),
      classify: assign(assigners.classify),
      prioritize: assign(assigners.prioritize),
      assign: assign(assigners.assign),
      setFields: assign(assigners.setFields),
      resolveTicket: assign(assigners.resolveTicket),
      applyHttpResult: assign(assigners.applyHttpResult),
      recordSurvey: assign(assigners.recordSurvey),
      scheduleTimer: assign(assigners.scheduleTimer),
      cancelTimer: assign(assigners.cancelTimer),
      pauseSla: assign(assigners.pauseSla),
      resumeSla: assign(assigners.resumeSla),
      markResponded: assign(assigners.markResponded),
      breachSla: assign(assigners.breachSla),
      escalate: assign(assigners.escalate),
      stopSla: assign(assigners.stopSla),
      applyUpdate: assign(assigners.applyUpdate),
      transfer: assign(assigners.transfer),
      __assigns: assign(({ context, event }, params: Params) => {
        let next = context;
        for (const action of params.actions as unknown as { type: string; params: Params }[]) {
          const fn = assignerOf(action.type);
          if (fn !== undefined) next = { ...next, ...fn({ context: next, event }, action.params) };
        }
        return next;
      }),
      __edge: (_, params: Params) => {
        scope?.edges.push(str(params.edgeId));
      },
      sendMessage: ({ context }, params: Params) => {
        message(context.ticket, params);
      },
      // Values come from customers: each is encoded for where it lands (see http-template.ts).
      callHttp: ({ context }, params: Params) => {
        const values = templateValues(context.ticket);
        const templates = (params.headers as Record<string, string> | undefined) ?? {};
        const headers = Object.fromEntries(
          Object.entries(templates).map(([k, v]) => [k, renderHeaderTemplate(v, values)]),
        );
        currentScope().effects.push({
          kind: 'http',
          payload: {
            nodeId: str(params.nodeId),
            method: str(params.method),
            url: renderUrlTemplate(str(params.url), values),
            headers,
            body: renderBodyTemplate(str(params.body, ''), templates, values),
            timeoutMs: Number(params.timeoutMs ?? 10_000),
          },
        });
      },
      recordApproval: ({ event }, params: Params) => {
        const by = event.type === 'APPROVAL.DECIDED' ? ` by ${event.by}` : '';
        scope?.notes.push(`approval ${str(params.decision)}${by}`);
      },
      endTicket: assign(assigners.endTicket),
      closeTicket: assign(assigners.closeTicket),
      reopenTicket: assign(assigners.reopenTicket),
      // A reopened ticket's SLA clocks start again from now; the region runs again.
      restartSla: enqueueActions(({ context, enqueue }) => {
        if (context.runtime.sla === null) return;
        enqueue.assign(({ context: current }) => restartSla(current));
        enqueue.raise({ type: 'SLA.START' });
      }),
      // Compute due times and schedule the clocks, then tell the SLA region to run.
      __startSla: assign(assigners.__startSla),
      __raiseSlaStart: raise({ type: 'SLA.START' } as const),
      startSla: enqueueActions(({ enqueue }, params: Params) => {
        enqueue.assign(({ context }) => startSla(context, params));
        enqueue.raise({ type: 'SLA.START' });
      }),
      raiseSlaEvent: raise(
        (_, params: Params) =>
          ({ type: params.event === 'SLA.PAUSE' ? 'SLA.PAUSE' : 'SLA.RESUME' }) as const,
      ),
      recordActivity: ({ event }) => {
        scope?.notes.push(event.type);
      },
    },
  });

  const config = {
    ...withMergedAssigns(withEdgeActions(machineJson), (type) => assignerOf(type) !== undefined),
    id: machineJson.id,
    context: ({ input }: { input: MachineContext }) => input,
  };
  const machine = setupped.createMachine(
    config as unknown as Parameters<typeof setupped.createMachine>[0],
  );

  return {
    machine,
    /** Agents as assignment sees them at `now` (shift from their calendar); leads and directors excluded. */
    getAssignableAgents,
    /** Run `fn` with `stepScope` as the ambient scope for actions. */
    withScope<T>(stepScope: StepScope, fn: () => T): T {
      scope = stepScope;
      try {
        return fn();
      } finally {
        scope = null;
      }
    },
  };
}

export type FlowMachine = ReturnType<typeof createFlowMachine>;

/** Who closed or reopened the ticket and why, for the ticket history. */
function describeActor(event: MachineEvent): string {
  if (event.type === 'SURVEY.ANSWERED')
    return ` after a survey answer (score ${event.score}${event.resolved ? '' : ', not resolved'})`;
  if (event.type !== 'TICKET.CLOSED' && event.type !== 'TICKET.REOPENED') return '';
  return `${event.by === undefined ? '' : ` by ${event.by}`}${event.reason === undefined ? '' : `: ${event.reason}`}`;
}

/** Round robin's turn: the ticket's daily sequence from 0 (`CS20260302017` → 16). */
function getTicketTurn(number: string): number {
  return (parseTicketNumber(number)?.sequence ?? 1) - 1;
}

function firstById<T extends { readonly id: string }>(items: readonly T[]): T | undefined {
  let first: T | undefined;
  for (const item of items) if (first === undefined || item.id < first.id) first = item;
  return first;
}

function teamName(teams: readonly Team[], id: string): string {
  return teams.find((t) => t.id === id)?.name ?? id;
}

function durationMs(text: string | undefined): number {
  return text === undefined ? 0 : (parseDuration(text) ?? 0);
}

export function createInitialRuntime(): RuntimeState {
  return { timers: {}, generation: 0, sla: null, assignments: 0 };
}
