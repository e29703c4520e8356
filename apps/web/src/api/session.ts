import { queryOptions, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { inferOutput } from '@trpc/tanstack-react-query';
import { useCallback } from 'react';
import { changeLanguage, getLanguage, isLanguage } from '../i18n';
import type { Language } from '../i18n';
import { queryClient, setUnauthorizedHandler, trpc, trpcClient } from './client';
import { isUnauthorized } from './errors';

/** The signed-in user as the server reports it. */
export type SessionUser = NonNullable<inferOutput<typeof trpc.auth.me>>;
export type Role = SessionUser['role'];

const SESSION_KEY = ['session'] as const;

/** The session query: the user, or null when nobody is signed in (no error for that case). */
export const sessionQuery = queryOptions({
  queryKey: SESSION_KEY,
  queryFn: async (): Promise<SessionUser | null> => {
    try {
      return await trpcClient.auth.me.query();
    } catch (error: unknown) {
      if (isUnauthorized(error)) return null;
      throw error;
    }
  },
  staleTime: Infinity,
});

// Any call that finds the session gone (expired, signed out elsewhere) signs the UI out too;
// the route guard then sends the user to /login and back afterwards.
setUnauthorizedHandler(() => {
  queryClient.setQueryData(SESSION_KEY, null);
});

/** The user's remembered language, when the server reports one. */
export function getUserLanguage(user: SessionUser): Language | null {
  const language: unknown = (user as { language?: unknown }).language;
  return isLanguage(language) ? language : null;
}

export function useSession() {
  return useQuery(sessionQuery);
}

/** True when the signed-in user may change flows (create, import, publish, roll back). */
export function useCanEditFlows(): boolean {
  return useSession().data?.role === 'admin';
}

/** Signs in; on success the session holds the user and the UI takes the user's language. */
export function useSignIn() {
  const client = useQueryClient();
  return useMutation(
    trpc.auth.login.mutationOptions({
      onSuccess: async (user) => {
        client.setQueryData(SESSION_KEY, user);
        const language = getUserLanguage(user);
        if (language !== null) await changeLanguage(language);
        // Refetch so the session carries every field auth.me reports.
        await client.invalidateQueries({ queryKey: SESSION_KEY });
      },
    }),
  );
}

export function useSignOut() {
  const client = useQueryClient();
  return useMutation(
    trpc.auth.logout.mutationOptions({
      onSettled: () => {
        client.clear();
        client.setQueryData(SESSION_KEY, null);
      },
    }),
  );
}

/**
 * Switches the UI language; for a signed-in user the choice is also saved on the server so it
 * follows them to other browsers.
 */
export function useLanguageSwitch(): (language: Language) => Promise<void> {
  const { data: user } = useSession();
  const client = useQueryClient();
  return useCallback(
    async (language: Language) => {
      if (language === getLanguage()) return;
      await changeLanguage(language);
      if (user === undefined || user === null) return;
      await trpcClient.auth.setLanguage.mutate({ language });
      client.setQueryData(SESSION_KEY, { ...user, language });
    },
    [user, client],
  );
}
