/**
 * The JSON shape the compiler emits: a subset of XState v5's machine config that is plain data.
 * Guards and actions are referenced by name with params; the engine implements them (see
 * `ACTION_TYPES` and `GUARD_TYPES`).
 */
export type JsonValue =
  string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

export interface ActionRef {
  readonly type: ActionType;
  readonly params?: { readonly [key: string]: JsonValue };
}

export interface GuardRef {
  readonly type: GuardType;
  readonly params: { readonly [key: string]: JsonValue };
}

export interface TransitionJson {
  readonly target?: string;
  readonly guard?: GuardRef;
  readonly actions?: readonly ActionRef[];
  readonly reenter?: boolean;
  readonly meta?: { readonly edgeId?: string; readonly port?: string };
}

export interface StateNodeJson {
  readonly id?: string;
  readonly type?: 'parallel' | 'final' | 'compound';
  readonly initial?: string;
  readonly entry?: readonly ActionRef[];
  readonly exit?: readonly ActionRef[];
  readonly always?: readonly TransitionJson[];
  readonly on?: { readonly [event: string]: readonly TransitionJson[] };
  readonly states?: { readonly [key: string]: StateNodeJson };
  readonly meta?: { readonly [key: string]: JsonValue };
}

export interface MachineJson extends StateNodeJson {
  readonly id: string;
  readonly type: 'parallel';
}

/**
 * Named actions the engine must implement. Each appears in the machine with params only, so the
 * machine JSON stays inert data.
 */
export const ACTION_TYPES = [
  /** Record arrival at a node (trace, current node) and set the ticket status if given. */
  'enterNode',
  /** Send a message (email, in-app, webhook) rendered from a template. */
  'sendMessage',
  'classify',
  'prioritize',
  'assign',
  'setFields',
  'resolveTicket',
  /** Outbound HTTP call as an effect; its result comes back as `ACTION.COMPLETED`. */
  'callHttp',
  /** Copy values from an `ACTION.COMPLETED` response into ticket fields. */
  'applyHttpResult',
  'recordApproval',
  'recordSurvey',
  'endTicket',
  /** Timers are effects: the engine persists them and sends `TIMER.FIRED` when due. */
  'scheduleTimer',
  'cancelTimer',
  /** SLA clock, run in the parallel `sla` region. */
  'startSla',
  /** Raise `SLA.PAUSE` / `SLA.RESUME` from the main path (waiting on the customer). */
  'raiseSlaEvent',
  'pauseSla',
  'resumeSla',
  'markResponded',
  'breachSla',
  'escalate',
  'stopSla',
  /** Root-level handlers for events any state accepts. */
  'applyUpdate',
  'recordActivity',
  'transfer',
  /** `TICKET.CLOSED`: status closed (entry of the built-in `_closed` final state). */
  'closeTicket',
  /** `TICKET.REOPENED`: status open; the slot an end released is taken again. */
  'reopenTicket',
  /** After a reopen: the SLA clocks the ticket had start again from now, and the region runs. */
  'restartSla',
] as const;
export type ActionType = (typeof ACTION_TYPES)[number];

export const GUARD_TYPES = [
  /** A CEL condition over `ticket`, `event` and `now`, compiled once per flow version. */
  'cel',
  /** The `TIMER.FIRED` event is for this timer key. */
  'timerIs',
] as const;
export type GuardType = (typeof GUARD_TYPES)[number];

/** Events raised inside the machine (never accepted from outside). */
export const INTERNAL_EVENTS = ['SLA.START', 'SLA.PAUSE', 'SLA.RESUME'] as const;
