import type { ReactNode } from 'react';
import type { RouteObject } from 'react-router';

/** Sections of the side navigation, in display order. */
export const NAV_GROUPS = ['design', 'operations', 'admin'] as const;
export type NavGroup = (typeof NAV_GROUPS)[number];

export type NavRole = 'admin' | 'agent' | 'viewer';

/** One entry of the side navigation. */
export interface NavItem {
  /** Stable key, also the menu item key (e.g. `flows`). */
  readonly key: string;
  /** Where the entry leads; it is highlighted on this path and every path below it. */
  readonly path: string;
  readonly group: NavGroup;
  /** i18n key with its namespace, e.g. `common:nav.flows`. */
  readonly labelKey: string;
  readonly icon: ReactNode;
  /** Roles that see the entry (default: everyone signed in). */
  readonly roles?: readonly NavRole[];
  /** Position inside its group (ascending). */
  readonly order: number;
}

/**
 * A part of the app (the designer, the operations console, …): its navigation entries and its
 * routes, mounted inside the signed-in shell. Add a module to `APP_MODULES` (src/modules.tsx)
 * to plug it in.
 */
export interface AppModule {
  readonly id: string;
  readonly nav: readonly NavItem[];
  readonly routes: readonly RouteObject[];
}

export interface NavSection {
  readonly group: NavGroup;
  readonly items: readonly NavItem[];
}

/**
 * The navigation a user with `role` sees: entries of every module grouped and ordered; empty
 * groups are left out.
 *
 * @example
 * getNavSections(APP_MODULES, 'admin'); // [{ group: 'design', items: [flows, templates] }]
 */
export function getNavSections(modules: readonly AppModule[], role: NavRole): NavSection[] {
  const visible = modules
    .flatMap((module) => module.nav)
    .filter((item) => item.roles === undefined || item.roles.includes(role));
  return NAV_GROUPS.map((group) => ({
    group,
    items: visible
      .filter((item) => item.group === group)
      .sort((a, b) => a.order - b.order || a.key.localeCompare(b.key)),
  })).filter((section) => section.items.length > 0);
}

/**
 * The key of the entry to highlight for a location: the one whose path is the longest prefix of
 * `pathname` at a segment boundary (`/flows` matches `/flows/abc/versions`, not `/flowsx`).
 */
export function getActiveNavKey(items: readonly NavItem[], pathname: string): string | null {
  let best: NavItem | null = null;
  for (const item of items) {
    const base = item.path.replace(/\/+$/, '');
    const matches = pathname === base || pathname.startsWith(`${base}/`) || base === '';
    if (matches && (best === null || base.length > best.path.replace(/\/+$/, '').length)) {
      best = item;
    }
  }
  return best?.key ?? null;
}
