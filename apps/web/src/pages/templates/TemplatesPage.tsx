import { ApartmentOutlined, ImportOutlined, SearchOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  App,
  Button,
  Card,
  Col,
  Empty,
  Flex,
  Input,
  Row,
  Segmented,
  Skeleton,
  Tag,
  Typography,
} from 'antd';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { trpc, trpcClient } from '../../api/client';
import type { TemplateSummary } from '../../api/types';
import { getErrorMessage } from '../../api/errors';
import { getLanguage } from '../../i18n';
import type { Language } from '../../i18n';
import { PageHeader } from '../../shell/PageHeader';
import { FlowThumbnail } from './FlowThumbnail';
import { pickText } from './localized';

const ALL = '__all__';

/** `/templates`: industry templates as cards; one click makes a new draft flow from one. */
export function TemplatesPage() {
  const { t } = useTranslation(['templates', 'common']);
  const language = getLanguage();
  const navigate = useNavigate();
  const { message } = App.useApp();
  const client = useQueryClient();
  const [industry, setIndustry] = useState(ALL);
  const [search, setSearch] = useState('');

  const templates = useQuery(trpc.templates.list.queryOptions());
  const importTemplate = useMutation({
    mutationFn: (templateId: string) => trpcClient.templates.import.mutate({ templateId }),
    onSuccess: async ({ flowId }) => {
      await client.invalidateQueries(trpc.flows.list.pathFilter());
      void message.success(t('imported', { id: flowId }));
      void navigate(`/flows/${encodeURIComponent(flowId)}`);
    },
    onError: (error) => {
      void message.error(t('importFailed', { reason: getErrorMessage(error) }));
    },
  });

  const industries = useMemo(
    () =>
      [
        ...new Set(
          (templates.data ?? []).flatMap((template) =>
            template.industry === null ? [] : [template.industry],
          ),
        ),
      ].sort(),
    [templates.data],
  );
  const needle = search.trim().toLowerCase();
  const visible = (templates.data ?? []).filter(
    (template) =>
      (industry === ALL || template.industry === industry) &&
      (needle === '' ||
        [template.name.en, template.name.zh, template.description.en, template.description.zh]
          .join(' ')
          .toLowerCase()
          .includes(needle)),
  );

  return (
    <div className="sy-page-body">
      <PageHeader title={t('title')} subtitle={t('subtitle')} />
      <Flex gap={12} wrap justify="space-between" style={{ marginBottom: 20 }}>
        <Segmented
          value={industry}
          onChange={setIndustry}
          options={[
            { value: ALL, label: t('allIndustries') },
            ...industries
              .map((value) => ({
                value,
                label: t(`industries.${value}`, { defaultValue: value }),
              }))
              .sort((a, b) => a.label.localeCompare(b.label, language)),
          ]}
        />
        <Input
          allowClear
          prefix={<SearchOutlined style={{ color: '#98a2b3' }} />}
          placeholder={t('searchPlaceholder')}
          value={search}
          onChange={(event) => {
            setSearch(event.target.value);
          }}
          style={{ maxWidth: 320 }}
        />
      </Flex>
      {templates.isError && (
        <Alert
          type="error"
          showIcon
          title={t('loadFailed')}
          description={getErrorMessage(templates.error)}
          action={
            <Button onClick={() => void templates.refetch()}>{t('common:actions.retry')}</Button>
          }
        />
      )}
      {templates.isPending && (
        <Row gutter={[20, 20]}>
          {[0, 1, 2].map((key) => (
            <Col key={key} xs={24} md={12} xl={8}>
              <Card>
                <Skeleton active />
              </Card>
            </Col>
          ))}
        </Row>
      )}
      {templates.isSuccess && visible.length === 0 && (
        <Empty description={t('noMatches')} style={{ marginTop: 48 }} />
      )}
      <Row gutter={[20, 20]}>
        {visible.map((template) => (
          <Col key={template.id} xs={24} md={12} xl={8} xxl={6}>
            <TemplateCard
              template={template}
              language={language}
              importing={importTemplate.isPending && importTemplate.variables === template.id}
              disabled={importTemplate.isPending}
              onImport={() => {
                importTemplate.mutate(template.id);
              }}
            />
          </Col>
        ))}
      </Row>
    </div>
  );
}

interface TemplateCardProps {
  readonly template: TemplateSummary;
  readonly language: Language;
  readonly importing: boolean;
  readonly disabled: boolean;
  readonly onImport: () => void;
}

function TemplateCard({ template, language, importing, disabled, onImport }: TemplateCardProps) {
  const { t } = useTranslation('templates');
  const name = pickText(template.name, language);
  return (
    <Card
      className="sy-template-card"
      data-testid={`template-${template.id}`}
      cover={
        <div className="sy-template-cover">
          <FlowThumbnail flow={template.document} label={t('preview', { name })} />
        </div>
      }
      styles={{ body: { display: 'flex', flexDirection: 'column', gap: 10, flex: 1 } }}
    >
      <Flex justify="space-between" align="center" gap={8}>
        {template.industry === null ? (
          <span />
        ) : (
          <Tag color="geekblue" variant="filled">
            {t(`industries.${template.industry}`, { defaultValue: template.industry })}
          </Tag>
        )}
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          <ApartmentOutlined /> {t('nodeCount', { count: template.nodeCount })}
        </Typography.Text>
      </Flex>
      <Typography.Title level={5} style={{ margin: 0 }}>
        {name}
      </Typography.Title>
      <Typography.Paragraph
        type="secondary"
        ellipsis={{ rows: 3, tooltip: pickText(template.description, language) }}
        style={{ margin: 0, flex: 1 }}
      >
        {pickText(template.description, language)}
      </Typography.Paragraph>
      <Button
        type="primary"
        icon={<ImportOutlined />}
        block
        loading={importing}
        disabled={disabled && !importing}
        onClick={onImport}
        data-testid={`use-template-${template.id}`}
      >
        {t('use')}
      </Button>
    </Card>
  );
}
