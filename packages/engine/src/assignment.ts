import { isBusinessTime } from './calendar';
import type { BusinessCalendar } from './calendar';

/** What assignment needs to know about one agent at the moment of assigning. */
export interface AgentState {
  id: string;
  name: string;
  teamId: string;
  skills: readonly string[];
  /** Most tickets the agent may hold open at once; 0 means none. */
  capacity: number;
  openTickets: number;
  active: boolean;
  onShift: boolean;
  /** When the agent last got a ticket, ms since the epoch; `null` if never. */
  lastAssignedAt: number | null;
}

export type AssignmentStrategy = 'least-loaded' | 'round-robin' | 'queue';

export interface AssignmentRequest {
  teamId: string;
  strategy: AssignmentStrategy;
  /** Skills the agent must all have, compared case-insensitively. */
  requiredSkills: readonly string[];
  /**
   * Round-robin: which of the agents tied on `lastAssignedAt` gets the ticket — the tied agents in
   * id order, index `turn` modulo their number. The runtime passes the ticket's daily sequence
   * number, so tickets created at the same instant go round the tied agents instead of all going
   * to the lowest id. Default 0.
   */
  turn?: number;
}

export type AssignmentResult =
  { kind: 'agent'; agentId: string; reason: string } | { kind: 'queued'; reason: string };

/**
 * Picks the agent for a ticket, or queues it. Pure and deterministic: the same agents and request
 * always give the same answer, whatever the order of `agents`.
 *
 * An agent is eligible when in the request's team, active, on shift, below capacity and holding
 * every required skill (case-insensitive).
 * - `least-loaded`: lowest `openTickets / capacity`, then fewer open tickets, then assigned
 *   longest ago (never assigned first), then lowest id.
 * - `round-robin`: assigned longest ago (never assigned first); agents tied on that time take
 *   turns by `request.turn` (see {@link AssignmentRequest.turn}): deterministic and fair when
 *   many tickets arrive at the same instant.
 * - `queue`, or nobody eligible: queued, with a reason saying why.
 *
 * @example
 * pickAgent(agents, { teamId: 'tech', strategy: 'least-loaded', requiredSkills: ['senior'] });
 * // → { kind: 'agent', agentId: 'ana', reason: 'least loaded in team tech: Ana has 1 of 5 open tickets' }
 * // or { kind: 'queued', reason: 'no agent in team tech has skills senior' }
 */
export function pickAgent(
  agents: readonly AgentState[],
  request: AssignmentRequest,
): AssignmentResult {
  const { teamId, strategy } = request;
  if (strategy === 'queue') {
    return {
      kind: 'queued',
      reason: `team ${teamId} uses the queue strategy: agents pick tickets from the queue`,
    };
  }

  const team = agents.filter((agent) => agent.teamId === teamId);
  if (team.length === 0) return { kind: 'queued', reason: `no agent in team ${teamId}` };

  const required = normalizeSkills(request.requiredSkills);
  const skilled = team.filter((agent) => hasSkills(agent, required));
  const withSkills = required.length > 0 ? ` with skills ${required.join(', ')}` : '';
  if (skilled.length === 0) {
    return {
      kind: 'queued',
      reason: `no agent in team ${teamId} has skills ${required.join(', ')}`,
    };
  }

  const eligible = skilled.filter(isAvailable);
  const best =
    strategy === 'round-robin'
      ? pickInTurn(eligible, request.turn ?? 0)
      : pickLeastLoaded(eligible);
  if (!best) {
    return {
      kind: 'queued',
      reason: `${describeCount(skilled.length)} in team ${teamId}${withSkills} ${skilled.length === 1 ? 'is' : 'are'} unavailable (${describeUnavailable(skilled)})`,
    };
  }

  switch (strategy) {
    case 'least-loaded':
      return {
        kind: 'agent',
        agentId: best.id,
        reason: `least loaded in team ${teamId}${withSkills}: ${best.name} has ${best.openTickets} of ${best.capacity} open tickets`,
      };
    case 'round-robin':
      return {
        kind: 'agent',
        agentId: best.id,
        reason: `round robin in team ${teamId}${withSkills}: ${best.name} ${best.lastAssignedAt === null ? 'has not been assigned yet' : 'was assigned longest ago'}`,
      };
  }
}

/**
 * Whether an agent is on shift at `at`: shifts are business calendars, `null` means always.
 *
 * @example
 * isOnShift(compileCalendar(earlyShift), clock.now()); // true between 06:00 and 14:00 local
 */
export function isOnShift(calendar: BusinessCalendar | null, at: number): boolean {
  return isBusinessTime(calendar, at);
}

/** Whether an agent satisfies every eligibility rule of {@link pickAgent} for `request`. */
export function isEligible(agent: AgentState, request: AssignmentRequest): boolean {
  return (
    agent.teamId === request.teamId &&
    isAvailable(agent) &&
    hasSkills(agent, normalizeSkills(request.requiredSkills))
  );
}

function isAvailable(agent: AgentState): boolean {
  return agent.active && agent.onShift && agent.openTickets < agent.capacity;
}

/**
 * Skills as assignment compares them: trimmed, lower-case, each once, sorted.
 *
 * @example
 * normalizeSkills([' Senior', 'senior', 'billing']); // → ['billing', 'senior']
 */
export function normalizeSkills(skills: readonly string[]): string[] {
  return [...new Set(skills.map((skill) => skill.trim().toLowerCase()))].sort();
}

function hasSkills(agent: AgentState, required: readonly string[]): boolean {
  if (required.length === 0) return true;
  const own = new Set(agent.skills.map((skill) => skill.trim().toLowerCase()));
  return required.every((skill) => own.has(skill));
}

/** Least loaded: lowest load, then assigned longest ago, then lowest id. */
function pickLeastLoaded(eligible: readonly AgentState[]): AgentState | undefined {
  let best: AgentState | undefined;
  for (const agent of eligible) {
    if (!best || compareLoad(agent, best) < 0) best = agent;
  }
  return best;
}

/** Round robin: among the agents assigned longest ago, the `turn`-th in id order (wrapping). */
function pickInTurn(eligible: readonly AgentState[], turn: number): AgentState | undefined {
  const since = (agent: AgentState) => agent.lastAssignedAt ?? -Infinity;
  let oldest = Infinity;
  for (const agent of eligible) oldest = Math.min(oldest, since(agent));
  const tied = eligible.filter((agent) => since(agent) === oldest).sort(compareTurn);
  if (tied.length === 0) return undefined;
  const index = ((Math.trunc(turn) % tied.length) + tied.length) % tied.length;
  return tied[Number.isFinite(index) ? index : 0];
}

/** Lower ratio first; ratios compared by cross-multiplying, so no rounding. */
function compareLoad(a: AgentState, b: AgentState): number {
  return (
    a.openTickets * b.capacity - b.openTickets * a.capacity ||
    a.openTickets - b.openTickets ||
    compareTurn(a, b)
  );
}

/** Assigned longest ago first (never assigned before anyone), then by id. */
function compareTurn(a: AgentState, b: AgentState): number {
  const byTime = (a.lastAssignedAt ?? -Infinity) - (b.lastAssignedAt ?? -Infinity);
  if (byTime < 0 || byTime > 0) return byTime;
  return compareIds(a.id, b.id);
}

function compareIds(a: string, b: string): number {
  if (a < b) return -1;
  return a > b ? 1 : 0;
}

function describeCount(count: number): string {
  return count === 1 ? 'the only agent' : `all ${count} agents`;
}

/** Counts by the first rule each agent fails, e.g. "1 inactive, 2 off shift". */
function describeUnavailable(agents: readonly AgentState[]): string {
  let inactive = 0;
  let offShift = 0;
  let atCapacity = 0;
  for (const agent of agents) {
    if (!agent.active) inactive += 1;
    else if (!agent.onShift) offShift += 1;
    else atCapacity += 1;
  }
  return [
    inactive > 0 ? `${inactive} inactive` : '',
    offShift > 0 ? `${offShift} off shift` : '',
    atCapacity > 0 ? `${atCapacity} at capacity` : '',
  ]
    .filter((part) => part !== '')
    .join(', ');
}
