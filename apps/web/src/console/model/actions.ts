// Which ticket actions the console offers, and why one is disabled: the server says what the
// ticket's current step accepts (tickets.get `actions`), the role says who may act at all.

export const TICKET_ACTIONS = [
  'reply',
  'comment',
  'resolve',
  'approve',
  'reject',
  'transfer',
  'setPriority',
  'reopen',
] as const;
export type TicketAction = (typeof TICKET_ACTIONS)[number];

export type Role = 'admin' | 'agent' | 'viewer';

/**
 * Why an action is off: the user's role, the ticket is finished, its step does not take it, or
 * (approve/reject) an approval waits but someone else was asked to decide it.
 */
export type DisabledReason = 'role' | 'finished' | 'notAccepted' | 'notApprover';

export interface ActionState {
  readonly enabled: boolean;
  readonly reason: DisabledReason | null;
}

/** The pending approval as tickets.get reports it: may this user decide it? */
export interface ApprovalAccess {
  readonly mayDecide: boolean;
}

/**
 * The state of each action for a user with `role` on a ticket whose current step accepts
 * `accepted` (one flag per action, from the server's probe of the engine). `approval` is the
 * pending approval, if any: when this user may not decide it, approve/reject say so.
 *
 * @example
 * getActionStates('agent', { reply: true, reopen: false }, false).reopen;
 * // { enabled: false, reason: 'notAccepted' }
 */
export function getActionStates(
  role: Role,
  accepted: Readonly<Partial<Record<TicketAction, boolean>>>,
  done: boolean,
  approval: ApprovalAccess | null = null,
): Record<TicketAction, ActionState> {
  const states = {} as Record<TicketAction, ActionState>;
  for (const action of TICKET_ACTIONS) {
    if (role === 'viewer') states[action] = { enabled: false, reason: 'role' };
    else if ((action === 'approve' || action === 'reject') && approval?.mayDecide === false)
      states[action] = { enabled: false, reason: 'notApprover' };
    else if (accepted[action] === true) states[action] = { enabled: true, reason: null };
    else states[action] = { enabled: false, reason: done ? 'finished' : 'notAccepted' };
  }
  return states;
}
