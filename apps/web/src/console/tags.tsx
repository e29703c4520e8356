import {
  ClockCircleOutlined,
  ExclamationCircleOutlined,
  CheckCircleOutlined,
} from '@ant-design/icons';
import { Badge, Tag, Tooltip } from 'antd';
import { useTranslation } from 'react-i18next';
import { getLanguage } from '../i18n';
import { formatDateTime } from '../shell/format';
import type { LiveState } from './api';
import { formatDuration, getCountdown } from './model/format';

const STATUS_COLORS: Readonly<Record<string, string>> = {
  new: 'blue',
  open: 'geekblue',
  pending: 'gold',
  escalated: 'red',
  resolved: 'green',
  closed: 'default',
  cancelled: 'default',
};

const PRIORITY_COLORS: Readonly<Record<string, string>> = {
  urgent: '#e03131',
  high: '#f08c00',
  medium: '#3b5bdb',
  low: '#98a2b3',
};

export function StatusTag({ status }: { readonly status: string }) {
  const { t } = useTranslation('console');
  return (
    <Tag color={STATUS_COLORS[status] ?? 'default'} variant="filled" data-testid="status-tag">
      {t(`status.${status}`, { defaultValue: status })}
    </Tag>
  );
}

export function PriorityTag({ priority }: { readonly priority: string }) {
  const { t } = useTranslation('console');
  const color = PRIORITY_COLORS[priority] ?? '#98a2b3';
  return (
    <span className="sy-priority" style={{ color }}>
      <span className="sy-priority-dot" style={{ background: color }} />
      {t(`priority.${priority}`, { defaultValue: priority })}
    </span>
  );
}

interface SlaBadgeProps {
  readonly dueAt: string | null;
  readonly breached: boolean;
  readonly done: boolean;
  readonly now: number;
  /** `compact`: one short line for tables. */
  readonly compact?: boolean;
}

/** An SLA target as a countdown: "in 45 min", "2 h overdue", "breached", "met". */
export function SlaBadge({ dueAt, breached, done, now, compact = false }: SlaBadgeProps) {
  const { t } = useTranslation('console');
  const language = getLanguage();
  const countdown = getCountdown(dueAt, now, { breached, done });
  if (dueAt === null) return <span className="sy-muted">—</span>;
  const left = formatDuration(countdown.remainingMs, language);
  const label = {
    breached: t('sla.breached'),
    met: t('sla.met'),
    overdue: t('sla.overdue', { time: left }),
    soon: t('sla.dueIn', { time: left }),
    ok: t('sla.dueIn', { time: left }),
  }[countdown.urgency];
  const icon =
    countdown.urgency === 'met' ? (
      <CheckCircleOutlined />
    ) : countdown.urgency === 'breached' || countdown.urgency === 'overdue' ? (
      <ExclamationCircleOutlined />
    ) : (
      <ClockCircleOutlined />
    );
  return (
    <Tooltip title={t('sla.dueAt', { time: formatDateTime(dueAt, language) })}>
      <span
        className={`sy-sla sy-sla-${countdown.urgency}${compact ? ' sy-sla-compact' : ''}`}
        data-testid="sla-badge"
      >
        {icon}
        {label}
      </span>
    </Tooltip>
  );
}

/** "Live" while the change feed is connected. */
export function LiveIndicator({ state }: { readonly state: LiveState }) {
  const { t } = useTranslation('console');
  const status = state === 'live' ? 'processing' : state === 'connecting' ? 'default' : 'error';
  return (
    <Tooltip title={t(`live.${state}Hint`)}>
      <span className="sy-live" data-testid="live-indicator" data-state={state}>
        <Badge status={status} text={t(`live.${state}`)} />
      </span>
    </Tooltip>
  );
}
