import {
  ArrowRightOutlined,
  CheckOutlined,
  ClockCircleOutlined,
  CloseOutlined,
  MailOutlined,
  NotificationOutlined,
} from '@ant-design/icons';
import { Button, Empty, Tag, Timeline, Tooltip, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { getLanguage } from '../../i18n';
import { formatDateTime } from '../../shell/format';
import type { TimelineEntry } from '../api';

const EVENT_COLORS: Readonly<Record<string, string>> = {
  'TICKET.CREATED': 'blue',
  'AGENT.REPLIED': 'green',
  'CUSTOMER.REPLIED': 'cyan',
  'AGENT.RESOLVED': 'green',
  'SURVEY.ANSWERED': 'purple',
  'TIMER.FIRED': 'orange',
  'TICKET.REOPENED': 'red',
  'APPROVAL.DECIDED': 'geekblue',
};

function formatValue(value: unknown): string {
  return value === undefined ? 'undefined' : JSON.stringify(value);
}

interface TimelineListProps {
  readonly entries: readonly TimelineEntry[];
  readonly nodeLabel: (id: string) => string;
}

/** Every event of the ticket, newest first, with why the flow did what it did. */
export function TimelineList({ entries, nodeLabel }: TimelineListProps) {
  const { t } = useTranslation('console');
  const language = getLanguage();
  const [expanded, setExpanded] = useState<ReadonlySet<number>>(new Set());
  if (entries.length === 0) return <Empty description={t('timeline.empty')} />;
  const ordered = [...entries].reverse();
  return (
    <Timeline
      className="sy-timeline"
      items={ordered.map((entry) => {
        const moved = entry.fromNodes.join() !== entry.toNodes.join() && entry.toNodes.length > 0;
        const hasWhy =
          entry.guards.length > 0 ||
          entry.effects.length > 0 ||
          entry.timers.scheduled.length > 0 ||
          entry.timers.cancelled.length > 0;
        const open = expanded.has(entry.seq);
        return {
          key: entry.seq,
          color: EVENT_COLORS[entry.type] ?? 'gray',
          content: (
            <div className="sy-timeline-entry" data-testid={`timeline-${entry.type}`}>
              <div className="sy-timeline-head">
                <Typography.Text strong>
                  {t(`events.${entry.type}`, { defaultValue: entry.type })}
                </Typography.Text>
                {entry.actor !== null && (
                  <Typography.Text type="secondary">{entry.actor}</Typography.Text>
                )}
                <Typography.Text type="secondary" className="sy-timeline-time">
                  {formatDateTime(entry.at, language)}
                </Typography.Text>
              </div>
              {entry.timers.fired.length > 0 && (
                <div className="sy-timeline-line">
                  <ClockCircleOutlined />{' '}
                  {t('timeline.timerFired', { timer: entry.timers.fired.join(', ') })}
                </div>
              )}
              {moved && (
                <div className="sy-timeline-line">
                  {entry.fromNodes.map(nodeLabel).join(', ') || t('timeline.start')}{' '}
                  <ArrowRightOutlined className="sy-muted" />{' '}
                  <Typography.Text strong>
                    {entry.toNodes.map(nodeLabel).join(', ')}
                  </Typography.Text>
                  {entry.entered.length > 1 && (
                    <Typography.Text type="secondary">
                      {' '}
                      {t('timeline.via', {
                        steps: entry.entered.slice(0, -1).map(nodeLabel).join(' → '),
                      })}
                    </Typography.Text>
                  )}
                </div>
              )}
              {entry.notes.map((note, index) => (
                <div key={index} className="sy-timeline-note">
                  {note}
                </div>
              ))}
              {hasWhy && (
                <Button
                  type="link"
                  size="small"
                  className="sy-why-toggle"
                  onClick={() => {
                    setExpanded((current) => {
                      const next = new Set(current);
                      if (open) next.delete(entry.seq);
                      else next.add(entry.seq);
                      return next;
                    });
                  }}
                  data-testid="explain-why"
                >
                  {open ? t('timeline.hideWhy') : t('timeline.why')}
                </Button>
              )}
              {hasWhy && open && (
                <div className="sy-why" data-testid="why-details">
                  {entry.guards.map((guard, index) => (
                    <div key={index} className="sy-guard">
                      <Tooltip
                        title={guard.result ? t('timeline.guardTrue') : t('timeline.guardFalse')}
                      >
                        <span className={guard.result ? 'sy-guard-true' : 'sy-guard-false'}>
                          {guard.result ? <CheckOutlined /> : <CloseOutlined />}
                        </span>
                      </Tooltip>
                      <code>{guard.expression}</code>
                      {Object.entries(guard.inputs).length > 0 && (
                        <span className="sy-guard-inputs">
                          {Object.entries(guard.inputs).map(([path, value]) => (
                            <Tag key={path} variant="outlined">
                              {path} = {formatValue(value)}
                            </Tag>
                          ))}
                        </span>
                      )}
                      {guard.error !== undefined && (
                        <Typography.Text type="danger">{guard.error}</Typography.Text>
                      )}
                    </div>
                  ))}
                  {entry.effects.map((effect, index) => (
                    <div key={`e${index}`} className="sy-timeline-line">
                      {effect.kind === 'email' ? <MailOutlined /> : <NotificationOutlined />}{' '}
                      {effect.summary}
                    </div>
                  ))}
                  {entry.timers.scheduled.map((timer) => (
                    <div key={`s${timer.key}`} className="sy-timeline-line sy-muted">
                      <ClockCircleOutlined />{' '}
                      {t('timeline.timerScheduled', {
                        timer: timer.key,
                        at: timer.dueAt === undefined ? '—' : formatDateTime(timer.dueAt, language),
                      })}
                    </div>
                  ))}
                  {entry.timers.cancelled.length > 0 && (
                    <div className="sy-timeline-line sy-muted">
                      {t('timeline.timersCancelled', { timers: entry.timers.cancelled.join(', ') })}
                    </div>
                  )}
                </div>
              )}
            </div>
          ),
        };
      })}
    />
  );
}
