import {
  AuditOutlined,
  BellOutlined,
  BranchesOutlined,
  DashboardOutlined,
  FieldTimeOutlined,
  FlagOutlined,
  HourglassOutlined,
  InboxOutlined,
  QuestionOutlined,
  SmileOutlined,
  TagsOutlined,
  ThunderboltOutlined,
  UserSwitchOutlined,
} from '@ant-design/icons';
import { getNodeKind, isNodeKind } from '@switchyard/flow';
import type { NodeGroup } from '@switchyard/flow';
import type { ReactNode } from 'react';
import { NODE_GROUP_COLORS, UNKNOWN_NODE_COLOR } from '../../shell/node-colors';

/** The catalog names icons by key; the designer maps each key to an icon once. */
const ICONS: Readonly<Record<string, ReactNode>> = {
  inbox: <InboxOutlined />,
  tags: <TagsOutlined />,
  gauge: <DashboardOutlined />,
  'user-check': <UserSwitchOutlined />,
  split: <BranchesOutlined />,
  stamp: <AuditOutlined />,
  hourglass: <HourglassOutlined />,
  timer: <FieldTimeOutlined />,
  bell: <BellOutlined />,
  zap: <ThunderboltOutlined />,
  smile: <SmileOutlined />,
  flag: <FlagOutlined />,
};

export function getKindIcon(kind: string): ReactNode {
  if (!isNodeKind(kind)) return <QuestionOutlined />;
  return ICONS[getNodeKind(kind).icon] ?? <QuestionOutlined />;
}

export function getGroupColor(group: NodeGroup | null): string {
  return group === null ? UNKNOWN_NODE_COLOR : NODE_GROUP_COLORS[group];
}

export function getKindColor(kind: string): string {
  return isNodeKind(kind) ? getGroupColor(getNodeKind(kind).group) : UNKNOWN_NODE_COLOR;
}

/** The square icon tile used on nodes, in the palette and in panel headers. */
export function KindTile({ kind, size = 28 }: { readonly kind: string; readonly size?: number }) {
  const color = getKindColor(kind);
  return (
    <span
      className="sy-kind-tile"
      style={{
        width: size,
        height: size,
        fontSize: Math.round(size * 0.52),
        color,
        background: `${color}1a`,
        borderColor: `${color}33`,
      }}
      aria-hidden
    >
      {getKindIcon(kind)}
    </span>
  );
}
