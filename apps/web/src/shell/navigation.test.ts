import { describe, expect, it } from 'vitest';
import { getActiveNavKey, getNavSections } from './navigation';
import type { AppModule, NavItem } from './navigation';

function item(key: string, path: string, extra: Partial<NavItem> = {}): NavItem {
  return {
    key,
    path,
    group: 'design',
    labelKey: `common:nav.${key}`,
    icon: null,
    order: 0,
    ...extra,
  };
}

const design: AppModule = {
  id: 'design',
  nav: [
    item('templates', '/templates', { order: 20, roles: ['admin'] }),
    item('flows', '/flows', { order: 10, roles: ['admin', 'agent'] }),
  ],
  routes: [],
};
const console_: AppModule = {
  id: 'console',
  nav: [
    item('reports', '/reports', { group: 'operations', order: 30 }),
    item('tickets', '/tickets', { group: 'operations', order: 10 }),
  ],
  routes: [],
};

describe('getNavSections', () => {
  it('groups entries of all modules in group order, sorted inside each group', () => {
    const sections = getNavSections([console_, design], 'admin');
    expect(sections.map((s) => [s.group, s.items.map((i) => i.key)])).toEqual([
      ['design', ['flows', 'templates']],
      ['operations', ['tickets', 'reports']],
    ]);
  });

  it('hides entries the role may not use and drops groups left empty', () => {
    expect(getNavSections([design], 'viewer')).toEqual([]);
    expect(
      getNavSections([design, console_], 'agent').map((s) => s.items.map((i) => i.key)),
    ).toEqual([['flows'], ['tickets', 'reports']]);
  });
});

describe('getActiveNavKey', () => {
  const items = [
    item('flows', '/flows'),
    item('templates', '/templates/'),
    item('flowsx', '/flows/x'),
  ];

  it('matches a path and everything below it at segment boundaries', () => {
    expect(getActiveNavKey(items, '/flows')).toBe('flows');
    expect(getActiveNavKey(items, '/flows/abc/versions')).toBe('flows');
    expect(getActiveNavKey(items, '/templates')).toBe('templates');
    expect(getActiveNavKey(items, '/flowsy')).toBeNull();
    expect(getActiveNavKey(items, '/login')).toBeNull();
  });

  it('prefers the longest matching path', () => {
    expect(getActiveNavKey(items, '/flows/x/versions')).toBe('flowsx');
  });
});
