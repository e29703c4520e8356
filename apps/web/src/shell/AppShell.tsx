import { DownOutlined, LogoutOutlined, UserOutlined } from '@ant-design/icons';
import { App, Avatar, Button, Dropdown, Flex, Layout, Menu, Spin, Typography } from 'antd';
import type { MenuProps } from 'antd';
import { Suspense, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Outlet, useLocation, useMatches, useNavigate } from 'react-router';
import { getErrorMessage } from '../api/errors';
import { useSignOut } from '../api/session';
import type { SessionUser } from '../api/session';
import { LanguageSwitch } from './LanguageSwitch';
import { Logo } from './Logo';
import { getActiveNavKey, getNavSections } from './navigation';
import type { AppModule } from './navigation';

/** Route `handle` fields the shell reads. */
export interface RouteHandle {
  /** The page fills the content area edge to edge (the designer canvas). */
  readonly fullBleed?: boolean;
}

function isFullBleed(handle: unknown): boolean {
  return (
    typeof handle === 'object' && handle !== null && (handle as RouteHandle).fullBleed === true
  );
}

function getInitials(name: string): string {
  const words = name.trim().split(/\s+/).filter(Boolean);
  if (words.length === 0) return '?';
  // First grapheme of the first and last word ("Ann Lee" → "AL", "王小明" → "王").
  const segmenter = new Intl.Segmenter();
  const firstOf = (word: string | undefined) =>
    word === undefined
      ? ''
      : (segmenter.segment(word)[Symbol.iterator]().next().value?.segment ?? '');
  const first = firstOf(words[0]);
  const last = words.length > 1 ? firstOf(words.at(-1)) : '';
  return (first + last).toUpperCase();
}

interface AppShellProps {
  readonly user: SessionUser;
  readonly modules: readonly AppModule[];
}

/** The signed-in frame: side navigation, header with language and user menu, page content. */
export function AppShell({ user, modules }: AppShellProps) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const location = useLocation();
  const matches = useMatches();
  const signOut = useSignOut();
  const [collapsed, setCollapsed] = useState(false);
  const fullBleed = matches.some((match) => isFullBleed(match.handle));

  const sections = useMemo(() => getNavSections(modules, user.role), [modules, user.role]);
  const activeKey = getActiveNavKey(
    sections.flatMap((section) => section.items),
    location.pathname,
  );
  const menuItems: MenuProps['items'] = sections.map((section) => ({
    type: 'group',
    key: section.group,
    label: collapsed ? null : t(`nav.groups.${section.group}`),
    children: section.items.map((item) => ({
      key: item.key,
      icon: item.icon,
      label: t(item.labelKey),
      onClick: () => void navigate(item.path),
      'data-testid': `nav-${item.key}`,
    })),
  }));

  const userMenu: MenuProps = {
    items: [
      {
        key: 'profile',
        disabled: true,
        label: (
          <div style={{ minWidth: 180 }}>
            <Typography.Text strong>{user.name}</Typography.Text>
            <br />
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {user.email} · {t(`roles.${user.role}`)}
            </Typography.Text>
          </div>
        ),
      },
      { type: 'divider' },
      {
        key: 'logout',
        icon: <LogoutOutlined />,
        label: t('header.logout'),
        'data-testid': 'logout',
        onClick: () => {
          signOut.mutate(undefined, {
            onError: (error) => void message.error(getErrorMessage(error)),
          });
          void navigate('/login', { replace: true });
        },
      },
    ],
  };

  return (
    <Layout style={{ minHeight: '100vh' }}>
      <Layout.Sider
        collapsible
        collapsed={collapsed}
        onCollapse={setCollapsed}
        width={224}
        collapsedWidth={64}
        style={{ position: 'sticky', top: 0, height: '100vh', overflow: 'auto' }}
      >
        <div className="sy-sider-logo" style={{ padding: collapsed ? '16px 18px' : '16px 20px' }}>
          <Logo withText={!collapsed} />
        </div>
        <Menu
          theme="dark"
          mode="inline"
          selectedKeys={activeKey === null ? [] : [activeKey]}
          items={menuItems}
          style={{ borderInlineEnd: 'none', padding: '0 8px' }}
        />
      </Layout.Sider>
      <Layout>
        <Layout.Header className="sy-header">
          <Flex justify="flex-end" align="center" gap={8} style={{ height: '100%' }}>
            <LanguageSwitch />
            <Dropdown menu={userMenu} trigger={['click']} placement="bottomRight">
              <Button type="text" data-testid="user-menu" style={{ height: 40 }}>
                <Flex align="center" gap={8}>
                  <Avatar size={28} style={{ background: '#e0e7ff', color: '#3b5bdb' }}>
                    {user.name.trim() === '' ? <UserOutlined /> : getInitials(user.name)}
                  </Avatar>
                  <span>{user.name}</span>
                  <DownOutlined style={{ fontSize: 10, color: '#98a2b3' }} />
                </Flex>
              </Button>
            </Dropdown>
          </Flex>
        </Layout.Header>
        <Layout.Content
          className={fullBleed ? 'sy-content sy-content-full' : 'sy-content'}
          style={fullBleed ? { padding: 0, display: 'flex', flexDirection: 'column' } : undefined}
        >
          <Suspense fallback={<PageSpinner />}>
            <Outlet />
          </Suspense>
        </Layout.Content>
      </Layout>
    </Layout>
  );
}

/** Centred spinner while a page or its data loads. */
export function PageSpinner() {
  return (
    <Flex align="center" justify="center" style={{ minHeight: 320, flex: 1 }}>
      <Spin size="large" />
    </Flex>
  );
}
