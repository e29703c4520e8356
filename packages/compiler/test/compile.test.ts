import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createActor, createMachine } from 'xstate';
import { describe, expect, it } from 'vitest';
import { compileFlow } from '../src';
import type { MachineJson, StateNodeJson } from '../src';
import { createHarnessMachine } from './harness';

const templatePath = fileURLToPath(
  new URL('../../../templates/saas-login/flow.json', import.meta.url),
);
const template = JSON.parse(readFileSync(templatePath, 'utf8')) as Record<string, unknown>;

function compileTemplate(): { machine: MachineJson } & ReturnType<typeof compileFlow> {
  const result = compileFlow(template);
  if (result.machine === undefined) throw new Error(JSON.stringify(result.diagnostics));
  return { ...result, machine: result.machine };
}

function walk(
  state: StateNodeJson,
  visit: (state: StateNodeJson, path: string) => void,
  path = '',
): void {
  visit(state, path);
  for (const [key, child] of Object.entries(state.states ?? {}))
    walk(child, visit, path === '' ? key : `${path}.${key}`);
}

describe('compileFlow on the SaaS login template', () => {
  it('produces a machine plain xstate accepts, with a main and an SLA region', () => {
    const { machine } = compileTemplate();
    const loaded = createMachine(machine as never);
    expect(loaded.id).toBe('flow:saas-login');
    expect(Object.keys(loaded.states)).toEqual(['main', 'sla', 'lifecycle']);
    expect(Object.keys(loaded.states.main?.states ?? {})).toEqual([
      'intake',
      'classify',
      'prioritize',
      'assign',
      'sla',
      'await-resolution',
      'survey',
      'reopen-senior',
      'closed',
      '_closed',
    ]);
  });

  it('uses no XState delays: waiting is scheduleTimer/cancelTimer plus TIMER.FIRED', () => {
    const { machine } = compileTemplate();
    walk(machine, (state) => {
      expect(Object.keys(state)).not.toContain('after');
    });
    const survey = machine.states?.main?.states?.survey;
    expect(survey?.states?.scheduled?.entry).toContainEqual({
      type: 'scheduleTimer',
      params: { timer: 'survey:send', delay: '30m', ms: 1_800_000 },
    });
    expect(survey?.states?.scheduled?.exit).toContainEqual({
      type: 'cancelTimer',
      params: { timer: 'survey:send' },
    });
  });

  it('maps every edge to exactly one transition and every state to a node', () => {
    const { machine, sourceMap } = compileTemplate();
    const edgeIds = (template.edges as { id: string }[]).map((edge) => edge.id).sort();
    expect(Object.keys(sourceMap?.edges ?? {}).sort()).toEqual(edgeIds);
    let transitions = 0;
    walk(machine, (state) => {
      for (const list of [state.always ?? [], ...Object.values(state.on ?? {})]) {
        transitions += list.filter((t) => t.meta?.edgeId !== undefined).length;
      }
    });
    expect(transitions).toBe(edgeIds.length);
    walk(machine.states?.main ?? {}, (_state, path) => {
      if (path !== '') expect(sourceMap?.states[`main.${path}`]).toBeDefined();
    });
    expect(sourceMap?.states['main.survey.sent']).toEqual({ nodeId: 'survey' });
    expect(sourceMap?.edges['e-unsatisfied']).toEqual({
      state: 'main.survey',
      event: 'SURVEY.ANSWERED',
    });
  });

  it('is deterministic: the same flow gives byte-identical JSON', () => {
    const first = JSON.stringify(compileFlow(template));
    const second = JSON.stringify(compileFlow(structuredClone(template)));
    expect(second).toBe(first);
  });

  it('does not compile a flow with lint errors', () => {
    const broken = structuredClone(template) as { edges: { target: string }[] };
    const [firstEdge] = broken.edges;
    if (firstEdge) firstEdge.target = 'nowhere';
    const result = compileFlow(broken);
    expect(result.machine).toBeUndefined();
    expect(result.diagnostics.map((d) => d.code)).toContain('unknown-edge-target');
  });

  it('runs in xstate: a VIP login ticket goes through to the survey and reopens on a low score', () => {
    const { machine } = compileTemplate();
    const actor = createActor(createHarnessMachine(machine), {
      input: {
        category: null,
        priority: 'medium',
        status: 'new',
        subject: 'Cannot LOGIN since this morning',
        customer: { tier: 'vip' },
      },
    });
    actor.start();
    let snapshot = actor.getSnapshot();
    expect(snapshot.value).toEqual({
      main: 'await-resolution',
      sla: { running: 'active' },
      lifecycle: 'live',
    });
    expect(snapshot.context.visited).toEqual([
      'intake',
      'classify',
      'prioritize',
      'assign',
      'sla',
      'await-resolution',
    ]);
    expect(snapshot.context.ticket.category).toBe('fault');

    actor.send({ type: 'AGENT.RESOLVED' });
    snapshot = actor.getSnapshot();
    expect(snapshot.value).toEqual({
      main: { survey: 'scheduled' },
      sla: 'met',
      lifecycle: 'live',
    });
    expect(snapshot.context.timers).toEqual(['survey:send']);

    actor.send({ type: 'TIMER.FIRED', timerId: 'survey:send' });
    expect(actor.getSnapshot().value).toEqual({
      main: { survey: 'sent' },
      sla: 'met',
      lifecycle: 'live',
    });
    expect(actor.getSnapshot().context.timers).toEqual(['survey:expire']);

    actor.send({ type: 'SURVEY.ANSWERED', score: 2, resolved: true });
    snapshot = actor.getSnapshot();
    expect(snapshot.context.visited.slice(-2)).toEqual(['reopen-senior', 'await-resolution']);
    expect(snapshot.context.timers).toEqual([]);

    actor.send({ type: 'AGENT.RESOLVED' });
    actor.send({ type: 'TIMER.FIRED', timerId: 'survey:send' });
    actor.send({ type: 'SURVEY.ANSWERED', score: 5, resolved: true });
    snapshot = actor.getSnapshot();
    // The main path ended; the lifecycle region keeps the machine running for a reopen.
    expect(snapshot.value).toEqual({ main: 'closed', sla: 'stopped', lifecycle: 'live' });
    expect(snapshot.context.ticket.status).toBe('closed');
  });

  it("ignores a timer that is not the state's own", () => {
    const { machine } = compileTemplate();
    const actor = createActor(createHarnessMachine(machine), {
      input: {
        category: null,
        priority: 'medium',
        status: 'new',
        subject: 'invoice copy',
        customer: { tier: 'standard' },
      },
    });
    actor.start();
    actor.send({ type: 'AGENT.RESOLVED' });
    actor.send({ type: 'TIMER.FIRED', timerId: 'survey:expire' });
    expect(actor.getSnapshot().value).toMatchObject({ main: { survey: 'scheduled' } });
  });

  it('a second SLA node restarts the clock without restarting the main path', () => {
    const flow = {
      schemaVersion: 1,
      id: 'two-slas',
      name: 'Two SLAs',
      nodes: [
        {
          id: 'in',
          kind: 'intake',
          position: { x: 0, y: 0 },
          config: { channels: ['api'], acknowledge: false },
        },
        { id: 'sla1', kind: 'sla', position: { x: 1, y: 0 }, config: slaConfig('1h') },
        {
          id: 'reply',
          kind: 'wait',
          position: { x: 2, y: 0 },
          config: { event: 'CUSTOMER.REPLIED' },
        },
        { id: 'sla2', kind: 'sla', position: { x: 3, y: 0 }, config: slaConfig('2h') },
        {
          id: 'resolved',
          kind: 'wait',
          position: { x: 4, y: 0 },
          config: { event: 'AGENT.RESOLVED' },
        },
        { id: 'end', kind: 'end', position: { x: 5, y: 0 }, config: { outcome: 'resolved' } },
      ],
      edges: [
        { id: 'a', source: 'in', sourcePort: 'next', target: 'sla1' },
        { id: 'b', source: 'sla1', sourcePort: 'next', target: 'reply' },
        { id: 'c', source: 'reply', sourcePort: 'received', target: 'sla2' },
        { id: 'd', source: 'sla2', sourcePort: 'next', target: 'resolved' },
        { id: 'e', source: 'resolved', sourcePort: 'received', target: 'end' },
      ],
    };
    const { machine } = compileFlow(flow);
    if (machine === undefined) throw new Error('did not compile');
    const actor = createActor(createHarnessMachine(machine), {
      input: {
        category: null,
        priority: 'medium',
        status: 'new',
        subject: 'x',
        customer: { tier: 'standard' },
      },
    });
    actor.start();
    expect(actor.getSnapshot().value).toEqual({
      main: 'reply',
      sla: { running: 'active' },
      lifecycle: 'live',
    });
    actor.send({ type: 'CUSTOMER.REPLIED' });
    const snapshot = actor.getSnapshot();
    expect(snapshot.value).toEqual({
      main: 'resolved',
      sla: { running: 'active' },
      lifecycle: 'live',
    });
    expect(snapshot.context.visited).toEqual(['in', 'sla1', 'reply', 'sla2', 'resolved']);
    actor.send({ type: 'AGENT.RESOLVED' });
    expect(actor.getSnapshot().value).toEqual({ main: 'end', sla: 'stopped', lifecycle: 'live' });
  });
});

function slaConfig(response: string) {
  const target = { response, resolution: '8h' };
  return { targets: { urgent: target, high: target, medium: target, low: target } };
}

describe('close and reopen at the root', () => {
  it('TICKET.CLOSED ends a resolved ticket in the built-in closed state', () => {
    const { machine, sourceMap } = compileTemplate();
    expect(machine.on?.['TICKET.CLOSED']).toEqual([
      {
        target: '#_closed',
        guard: { type: 'cel', params: { expression: 'ticket.status == "resolved"' } },
      },
    ]);
    expect(machine.states?.main?.states?._closed).toMatchObject({ id: '_closed', type: 'final' });
    expect(sourceMap?.states['main._closed']).toEqual({ builtin: 'closed' });
  });

  it('TICKET.REOPENED goes where a dissatisfied survey answer goes, with the same actions', () => {
    const { machine } = compileTemplate();
    const reopen = { target: '#reopen-senior' };
    expect(machine.on?.['TICKET.REOPENED']).toEqual([
      {
        ...reopen,
        guard: {
          type: 'cel',
          params: { expression: 'ticket.status == "resolved" || ticket.status == "closed"' },
        },
        actions: [{ type: 'reopenTicket' }, { type: 'restartSla' }],
      },
    ]);
    const unsatisfied = machine.states?.main?.states?.survey?.on?.['SURVEY.ANSWERED']?.[1];
    expect(unsatisfied).toMatchObject(reopen);
    expect(unsatisfied?.actions?.slice(1)).toEqual([
      { type: 'reopenTicket' },
      { type: 'restartSla' },
    ]);
  });

  it('without a survey the first assign node is the reopen target; with neither, no reopen', () => {
    const node = (id: string, kind: string, config: Record<string, unknown>, x: number) => ({
      id,
      kind,
      position: { x, y: 0 },
      config,
    });
    const flow = (withAssign: boolean) => ({
      schemaVersion: 1,
      id: 'f',
      name: 'F',
      ticketFields: [],
      teams: [{ id: 'support', name: 'Support' }],
      nodes: [
        node('in', 'intake', { channels: ['api'], acknowledge: false }, 0),
        ...(withAssign ? [node('route', 'assign', { team: 'support' }, 1)] : []),
        node('end', 'end', { outcome: 'resolved' }, 2),
      ],
      edges: withAssign
        ? [
            { id: 'a', source: 'in', sourcePort: 'next', target: 'route' },
            { id: 'b', source: 'route', sourcePort: 'next', target: 'end' },
          ]
        : [{ id: 'a', source: 'in', sourcePort: 'next', target: 'end' }],
    });
    const withAssign = compileFlow(flow(true)).machine;
    expect(withAssign?.on?.['TICKET.REOPENED']?.[0]).toMatchObject({
      target: '#route',
      actions: [{ type: 'reopenTicket' }],
    });
    const without = compileFlow(flow(false)).machine;
    expect(without?.on?.['TICKET.REOPENED']).toBeUndefined();
    expect(without?.on?.['TICKET.CLOSED']).toBeDefined();
  });

  it('runs in xstate: an ended ticket is reopened and can end again', () => {
    const { machine } = compileTemplate();
    const actor = createActor(createHarnessMachine(machine), {
      input: {
        category: null,
        priority: 'medium',
        status: 'new',
        subject: 'Cannot LOGIN',
        customer: { tier: 'vip' },
      },
    });
    actor.start();
    actor.send({ type: 'AGENT.RESOLVED' });
    actor.send({ type: 'TIMER.FIRED', timerId: 'survey:send' });
    actor.send({ type: 'SURVEY.ANSWERED', score: 5, resolved: true });
    expect(actor.getSnapshot().value).toEqual({
      main: 'closed',
      sla: 'stopped',
      lifecycle: 'live',
    });

    actor.send({ type: 'TICKET.REOPENED' });
    const snapshot = actor.getSnapshot();
    expect(snapshot.status).toBe('active');
    expect(snapshot.value).toMatchObject({ main: 'await-resolution' });
    expect(snapshot.context.visited.slice(-2)).toEqual(['reopen-senior', 'await-resolution']);
  });
});
