import { StarFilled } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { Card, Empty, List, Skeleton, Space, Statistic, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { trpc } from '../../api/client';
import { getLanguage } from '../../i18n';
import { formatDateTime, formatRelativeTime } from '../../shell/format';
import { StatusTag } from '../tags';

const SIGNAL_COLORS: Readonly<Record<string, string>> = {
  vip: 'gold',
  'complaint-risk': 'red',
  'repeat-contact': 'orange',
};

interface CustomerPanelProps {
  readonly email: string;
  readonly current: string;
}

/** Who the customer is: tier, signals, tags, their other tickets and every survey answer. */
export function CustomerPanel({ email, current }: CustomerPanelProps) {
  const { t } = useTranslation('console');
  const language = getLanguage();
  const panel = useQuery({ ...trpc.customers.get.queryOptions({ email }), enabled: email !== '' });
  const data = panel.data;
  return (
    <Card title={t('customer.title')} size="small" data-testid="customer-panel">
      {email === '' ? (
        <Typography.Text type="secondary">{t('customer.noEmail')}</Typography.Text>
      ) : panel.isPending ? (
        <Skeleton active paragraph={{ rows: 3 }} />
      ) : data == null ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('customer.unknown')} />
      ) : (
        <Space orientation="vertical" size={12} style={{ width: '100%' }}>
          <div>
            <Typography.Text strong style={{ fontSize: 15 }}>
              {data.name === '' ? data.email : data.name}
            </Typography.Text>
            <div>
              <Typography.Text type="secondary">{data.email}</Typography.Text>
            </div>
          </div>
          <Space size={[4, 4]} wrap>
            <Tag color={data.tier === 'vip' ? 'gold' : 'default'} variant="filled">
              {t(`customer.tier.${data.tier}`, { defaultValue: data.tier })}
            </Tag>
            {data.signals
              .filter((signal) => signal !== 'vip')
              .map((signal) => (
                <Tag
                  key={signal}
                  color={SIGNAL_COLORS[signal]}
                  variant="filled"
                  data-testid={`signal-${signal}`}
                >
                  {t(`customer.signal.${signal}`)}
                </Tag>
              ))}
            {data.tags.map((tag) => (
              <Tag key={tag} variant="outlined">
                {tag}
              </Tag>
            ))}
          </Space>
          <div className="sy-customer-stats">
            <Statistic title={t('customer.tickets')} value={data.totalTickets} />
            <Statistic title={t('customer.open')} value={data.openTickets} />
            <Statistic
              title={t('customer.csat')}
              value={data.csatAverage ?? '—'}
              precision={data.csatAverage === null ? undefined : 1}
              suffix={data.csatAverage === null ? undefined : '/ 5'}
            />
          </div>
          {data.csatHistory.length > 0 && (
            <div>
              <Typography.Text type="secondary" className="sy-section-label">
                {t('customer.csatHistory')}
              </Typography.Text>
              <List
                size="small"
                split={false}
                dataSource={data.csatHistory.slice(0, 5)}
                renderItem={(answer) => (
                  <List.Item className="sy-compact-item" data-testid="csat-history-item">
                    <span className="sy-survey-score">
                      {Array.from({ length: 5 }, (_, index) => (
                        <StarFilled
                          key={index}
                          className={index < answer.score ? 'sy-star-on' : 'sy-star-off'}
                        />
                      ))}
                    </span>
                    <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                      {answer.number} · {formatDateTime(answer.at, language)}
                    </Typography.Text>
                  </List.Item>
                )}
              />
            </div>
          )}
          <div>
            <Typography.Text type="secondary" className="sy-section-label">
              {t('customer.otherTickets')}
            </Typography.Text>
            {data.tickets.filter((ticket) => ticket.number !== current).length === 0 ? (
              <Typography.Paragraph type="secondary" style={{ margin: 0 }}>
                {t('customer.noOtherTickets')}
              </Typography.Paragraph>
            ) : (
              <List
                size="small"
                split={false}
                dataSource={data.tickets.filter((ticket) => ticket.number !== current).slice(0, 6)}
                renderItem={(ticket) => (
                  <List.Item className="sy-compact-item">
                    <div style={{ minWidth: 0, flex: 1 }}>
                      <Link to={`/tickets/${ticket.number}`} className="sy-ellipsis">
                        {ticket.subject}
                      </Link>
                      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                        {ticket.number} ·{' '}
                        {formatRelativeTime(ticket.createdAt, Date.now(), language)}
                      </Typography.Text>
                    </div>
                    <StatusTag status={ticket.status} />
                  </List.Item>
                )}
              />
            )}
          </div>
        </Space>
      )}
    </Card>
  );
}
