// The inbox's filters as data: read from and written to the URL (deep links, back button),
// turned into a tickets.list input, and produced by views.

export const STATUS_VALUES = [
  'new',
  'open',
  'pending',
  'escalated',
  'resolved',
  'closed',
  'cancelled',
] as const;
export const PRIORITY_VALUES = ['urgent', 'high', 'medium', 'low'] as const;
export const CHANNEL_VALUES = ['web', 'email', 'api', 'chat', 'phone', 'social'] as const;
export const SORT_VALUES = ['newest', 'oldest', 'updated', 'priority', 'sla'] as const;
export const SLA_VALUES = ['breached', 'due-1h'] as const;

export type Status = (typeof STATUS_VALUES)[number];
export type Priority = (typeof PRIORITY_VALUES)[number];
export type Channel = (typeof CHANNEL_VALUES)[number];
export type Sort = (typeof SORT_VALUES)[number];
export type SlaFilter = (typeof SLA_VALUES)[number];

/** What the inbox shows. `assignee: null` is "unassigned"; `mine` is the user's own agent. */
export interface InboxFilters {
  readonly status?: Status;
  readonly open?: boolean;
  readonly priority?: Priority;
  readonly team?: string;
  readonly assignee?: string | null;
  readonly mine?: boolean;
  readonly channel?: Channel;
  readonly category?: string;
  readonly sla?: SlaFilter;
  readonly search?: string;
  readonly sort?: Sort;
}

function oneOf<T extends string>(values: readonly T[], value: string | null): T | undefined {
  return value !== null && (values as readonly string[]).includes(value) ? (value as T) : undefined;
}

function text(value: string | null): string | undefined {
  const trimmed = value?.trim() ?? '';
  return trimmed === '' ? undefined : trimmed.slice(0, 200);
}

/** Unknown or malformed parameters are dropped, so any URL opens a working inbox. */
export function parseFilters(params: URLSearchParams): InboxFilters {
  const assignee = params.get('assignee');
  const filters: Record<string, unknown> = {
    status: oneOf(STATUS_VALUES, params.get('status')),
    open: params.get('open') === '1' ? true : undefined,
    priority: oneOf(PRIORITY_VALUES, params.get('priority')),
    team: text(params.get('team')),
    assignee: assignee === '-' ? null : text(assignee),
    mine: params.get('mine') === '1' ? true : undefined,
    channel: oneOf(CHANNEL_VALUES, params.get('channel')),
    category: text(params.get('category')),
    sla: oneOf(SLA_VALUES, params.get('sla')),
    search: text(params.get('q')),
    sort: oneOf(SORT_VALUES, params.get('sort')),
  };
  return Object.fromEntries(Object.entries(filters).filter(([, value]) => value !== undefined));
}

/** The URL parameters of `filters` (`assignee=-` for unassigned), in a stable order. */
export function toSearchParams(filters: InboxFilters): URLSearchParams {
  const params = new URLSearchParams();
  if (filters.status !== undefined) params.set('status', filters.status);
  if (filters.open === true) params.set('open', '1');
  if (filters.priority !== undefined) params.set('priority', filters.priority);
  if (filters.team !== undefined) params.set('team', filters.team);
  if (filters.assignee !== undefined) params.set('assignee', filters.assignee ?? '-');
  if (filters.mine === true) params.set('mine', '1');
  if (filters.channel !== undefined) params.set('channel', filters.channel);
  if (filters.category !== undefined) params.set('category', filters.category);
  if (filters.sla !== undefined) params.set('sla', filters.sla);
  if (filters.search !== undefined && filters.search !== '') params.set('q', filters.search);
  if (filters.sort !== undefined) params.set('sort', filters.sort);
  return params;
}

/** The tickets.list input for `filters`: `mine` becomes the user's agent (or matches nothing). */
export function toListInput(
  filters: InboxFilters,
  me: string | null,
): Omit<InboxFilters, 'mine'> & { assignee?: string | null } {
  const { mine, ...rest } = filters;
  if (mine !== true) return rest;
  // Without an agent of their own, "mine" is nobody's: an id no agent can have.
  return { ...rest, assignee: me ?? '\u0000none' };
}

/** True when `a` and `b` select the same tickets in the same order. */
export function isSameFilters(a: InboxFilters, b: InboxFilters): boolean {
  return toSearchParams(a).toString() === toSearchParams(b).toString();
}
