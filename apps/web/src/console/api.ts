import type { AppRouter } from '@switchyard/server';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { createTRPCClient, httpSubscriptionLink } from '@trpc/client';
import type { inferOutput } from '@trpc/tanstack-react-query';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { trpc } from '../api/client';

export type TicketPage = inferOutput<typeof trpc.tickets.list>;
export type TicketRow = TicketPage['items'][number];
export type TicketDetail = inferOutput<typeof trpc.tickets.get>;
export type Timeline = inferOutput<typeof trpc.timeline.get>;
export type TimelineEntry = Timeline['entries'][number];
export type FlowPicture = NonNullable<Timeline['flow']>;
export type CustomerPanelData = NonNullable<inferOutput<typeof trpc.customers.get>>;
export type Dashboard = inferOutput<typeof trpc.dashboard.get>;
export type ReportData = inferOutput<typeof trpc.reports.get>;
export type ReportListItem = inferOutput<typeof trpc.reports.list>[number];
export type ViewList = inferOutput<typeof trpc.views.list>;
export type SurveyView = inferOutput<typeof trpc.survey.get>;

/** Server-sent events only (the browser sends the session cookie with them). */
const subscriptions = createTRPCClient<AppRouter>({
  links: [httpSubscriptionLink({ url: '/trpc' })],
});

export type LiveState = 'connecting' | 'live' | 'offline';

/**
 * Calls `onChange` for every committed ticket step the server reports (one ticket's, when
 * `number` is given), over SSE; reconnects by itself. Returns the connection state.
 */
export function useTicketChanges(
  onChange: (change: { number: string; status: string; updatedAt: string }) => void,
  number?: string,
): LiveState {
  const [state, setState] = useState<LiveState>('connecting');
  const handler = useRef(onChange);
  useEffect(() => {
    handler.current = onChange;
  }, [onChange]);
  useEffect(() => {
    const subscription = subscriptions.tickets.onChange.subscribe(
      number === undefined ? undefined : { number },
      {
        onStarted: () => {
          setState('live');
        },
        onData: (change) => {
          handler.current(change);
        },
        onError: () => {
          setState('offline');
        },
        onConnectionStateChange: (connection) => {
          if (connection.state === 'pending') setState('live');
          else if (connection.state === 'connecting') {
            setState(connection.error === null ? 'connecting' : 'offline');
          } else setState('offline');
        },
      },
    );
    return () => {
      subscription.unsubscribe();
    };
  }, [number]);
  return state;
}

/**
 * Refetches the queries `keys` names at most once per `ms` while changes keep arriving, so a
 * burst of commits costs one refetch.
 */
export function useThrottledInvalidate(
  ms = 800,
): (filters: readonly { queryKey: readonly unknown[] }[]) => void {
  const client = useQueryClient();
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const pending = useRef(new Map<string, { queryKey: readonly unknown[] }>());
  useEffect(
    () => () => {
      if (timer.current !== null) clearTimeout(timer.current);
    },
    [],
  );
  return useCallback(
    (filters) => {
      for (const filter of filters) pending.current.set(JSON.stringify(filter.queryKey), filter);
      if (timer.current !== null) return;
      timer.current = setTimeout(() => {
        timer.current = null;
        const batch = [...pending.current.values()];
        pending.current.clear();
        for (const filter of batch) void client.invalidateQueries(filter);
      }, ms);
    },
    [client, ms],
  );
}

/** Names of agents and teams by id (the flow stores ids), from the settings lists. */
export function useDirectory() {
  const agents = useQuery({ ...trpc.settings.agents.list.queryOptions(), staleTime: 300_000 });
  const teams = useQuery({ ...trpc.settings.teams.list.queryOptions(), staleTime: 300_000 });
  return useMemo(() => {
    const agentNames = new Map((agents.data ?? []).map((agent) => [agent.id, agent.name]));
    const teamNames = new Map((teams.data ?? []).map((team) => [team.id, team.name]));
    return {
      agents: agents.data ?? [],
      teams: teams.data ?? [],
      agentName: (id: string | null | undefined) =>
        id == null ? null : (agentNames.get(id) ?? id),
      teamName: (id: string | null | undefined) => (id == null ? null : (teamNames.get(id) ?? id)),
    };
  }, [agents.data, teams.data]);
}

/** A clock for countdowns: the current time, updated every `ms`. */
export function useNow(ms = 1000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => {
      setNow(Date.now());
    }, ms);
    return () => {
      clearInterval(timer);
    };
  }, [ms]);
  return now;
}
