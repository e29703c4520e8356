import { ApartmentOutlined, CopyOutlined, DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import type { FlowDocument, TicketField } from '@switchyard/flow';
import { Button, Checkbox, Empty, Input, Select, Space, Statistic, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { getSettings } from '../model/changes';
import type { FlowSettings } from '../model/changes';
import { removeElementsChange, setSettingsChange } from '../model/edits';
import { getNodeTitle, toCatalogLocale } from '../model/node-view';
import { useDesigner, useSession } from './context';
import { KindTile } from './icons';
import { NodeProperties } from './NodeProperties';
import { useDesignerUi } from './ui-context';
import { duplicateSelection } from './commands';

const FIELD_TYPES: readonly TicketField['type'][] = [
  'string',
  'number',
  'integer',
  'boolean',
  'timestamp',
  'enum',
];

/** The right-hand panel: properties of the selection, or the flow's own settings. */
export function Inspector() {
  const selection = useDesigner((state) => state.selection);
  let body;
  if (selection.nodeIds.length === 1 && selection.edgeIds.length === 0) {
    body = <NodeProperties nodeId={selection.nodeIds[0] ?? ''} key={selection.nodeIds[0]} />;
  } else if (selection.nodeIds.length + selection.edgeIds.length > 1) {
    body = <MultiSelection />;
  } else if (selection.edgeIds.length === 1) {
    body = <EdgeProperties edgeId={selection.edgeIds[0] ?? ''} />;
  } else {
    body = <FlowSettingsPanel />;
  }
  return (
    <aside className="sy-inspector" data-testid="inspector">
      {body}
    </aside>
  );
}

function MultiSelection() {
  const { t } = useTranslation('designer');
  const { store } = useSession();
  const ui = useDesignerUi();
  const selection = useDesigner((state) => state.selection);
  return (
    <div className="sy-inspector-section">
      <div className="sy-panel-heading">{t('inspector.selection')}</div>
      <Space size={24} className="sy-multi-stats">
        <Statistic title={t('inspector.nodes')} value={selection.nodeIds.length} />
        <Statistic title={t('inspector.edges')} value={selection.edgeIds.length} />
      </Space>
      <Space orientation="vertical" className="sy-full-width">
        <Button
          block
          icon={<ApartmentOutlined />}
          disabled={selection.nodeIds.length < 2}
          onClick={() => void ui.autoLayout()}
        >
          {t('toolbar.layoutSelection')}
        </Button>
        <Button
          block
          icon={<CopyOutlined />}
          disabled={selection.nodeIds.length === 0}
          onClick={() => {
            duplicateSelection(store);
          }}
        >
          {t('inspector.duplicate')}
        </Button>
        <Button
          block
          danger
          icon={<DeleteOutlined />}
          onClick={() => {
            const { doc } = store.getState();
            store.dispatch(removeElementsChange(doc, selection.nodeIds, selection.edgeIds), {
              label: 'delete',
              select: { nodeIds: [], edgeIds: [] },
            });
          }}
        >
          {t('inspector.delete')}
        </Button>
      </Space>
    </div>
  );
}

function EdgeProperties({ edgeId }: { readonly edgeId: string }) {
  const { t, i18n } = useTranslation('designer');
  const locale = toCatalogLocale(i18n.language);
  const { store } = useSession();
  const doc = useDesigner((state) => state.doc);
  const edge = doc.edges.find((candidate) => candidate.id === edgeId);
  if (edge === undefined) return null;
  const source = doc.nodes.find((node) => node.id === edge.source);
  const target = doc.nodes.find((node) => node.id === edge.target);
  const endpoint = (node: typeof source, id: string) => (
    <div className="sy-edge-endpoint">
      {node !== undefined && <KindTile kind={node.kind} size={24} />}
      <span>{node === undefined ? id : getNodeTitle(node, locale)}</span>
    </div>
  );
  return (
    <div className="sy-inspector-section">
      <div className="sy-panel-heading">{t('inspector.edge')}</div>
      <Typography.Text type="secondary" copyable={{ text: edge.id }}>
        {edge.id}
      </Typography.Text>
      <div className="sy-edge-route">
        {endpoint(source, edge.source)}
        <div className="sy-edge-port">
          {t('inspector.port')}: <code>{edge.sourcePort}</code>
        </div>
        {endpoint(target, edge.target)}
      </div>
      <Button
        danger
        block
        icon={<DeleteOutlined />}
        onClick={() => {
          store.dispatch(removeElementsChange(store.getState().doc, [], [edgeId]), {
            label: 'delete',
            select: { nodeIds: [], edgeIds: [] },
          });
        }}
      >
        {t('inspector.deleteEdge')}
      </Button>
    </div>
  );
}

function FlowSettingsPanel() {
  const { t } = useTranslation('designer');
  const { store } = useSession();
  const doc = useDesigner((state) => state.doc);
  const update = (patch: Partial<FlowSettings>, key: string) => {
    const current = store.getState().doc;
    store.dispatch(setSettingsChange(current, { ...getSettings(current), ...patch }), {
      label: 'settings',
      coalesceKey: `settings:${key}`,
    });
  };
  return (
    <div className="sy-inspector-section" data-testid="flow-settings">
      <div className="sy-panel-heading">{t('settings.title')}</div>
      <Typography.Paragraph type="secondary" className="sy-settings-hint">
        {t('settings.hint')}
      </Typography.Paragraph>
      <div className="sy-field" data-field-path="$.name">
        <label className="sy-field-label" htmlFor="flow-name">
          {t('settings.name')}
        </label>
        <Input
          id="flow-name"
          value={doc.name}
          maxLength={200}
          status={doc.name.trim() === '' ? 'error' : undefined}
          onChange={(event) => {
            update({ name: event.target.value }, 'name');
          }}
        />
      </div>
      <div className="sy-field" data-field-path="$.description">
        <label className="sy-field-label" htmlFor="flow-description">
          {t('settings.description')}
        </label>
        <Input.TextArea
          id="flow-description"
          value={doc.description ?? ''}
          autoSize={{ minRows: 2, maxRows: 6 }}
          maxLength={4000}
          onChange={(event) => {
            const value = event.target.value;
            const { description: _old, ...rest } = getSettings(store.getState().doc);
            const current = store.getState().doc;
            store.dispatch(
              setSettingsChange(current, value === '' ? rest : { ...rest, description: value }),
              { label: 'settings', coalesceKey: 'settings:description' },
            );
          }}
        />
      </div>
      <TicketFieldsEditor
        doc={doc}
        onChange={(ticketFields) => {
          update({ ticketFields }, 'fields');
        }}
      />
      <TeamsEditor
        doc={doc}
        onChange={(teams) => {
          update({ teams }, 'teams');
        }}
      />
      <div className="sy-settings-calendars">
        <div className="sy-props-section-title">{t('settings.calendars')}</div>
        <Typography.Text type="secondary">
          {doc.calendars.length === 0
            ? t('settings.noCalendars')
            : doc.calendars.map((calendar) => `${calendar.name} (${calendar.timeZone})`).join(', ')}
        </Typography.Text>
      </div>
    </div>
  );
}

function TicketFieldsEditor({
  doc,
  onChange,
}: {
  readonly doc: FlowDocument;
  readonly onChange: (fields: TicketField[]) => void;
}) {
  const { t } = useTranslation('designer');
  const fields = doc.ticketFields;
  const write = (index: number, patch: Partial<TicketField>) => {
    onChange(fields.map((field, i) => (i === index ? { ...field, ...patch } : field)));
  };
  return (
    <div className="sy-settings-block" data-field-path="$.ticketFields">
      <div className="sy-props-section-title">{t('settings.ticketFields')}</div>
      <Typography.Paragraph type="secondary" className="sy-settings-hint">
        {t('settings.ticketFieldsHint')}
      </Typography.Paragraph>
      {fields.length === 0 && (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('settings.noFields')} />
      )}
      {fields.map((field, index) => (
        <div className="sy-ticket-field" key={index} data-field-path={`$.ticketFields[${index}]`}>
          <div className="sy-ticket-field-row">
            <Input
              size="small"
              value={field.key}
              prefix="fields."
              aria-label={t('settings.fieldKey')}
              onChange={(event) => {
                write(index, { key: event.target.value });
              }}
            />
            <Button
              size="small"
              type="text"
              danger
              icon={<DeleteOutlined />}
              aria-label={t('form.remove')}
              onClick={() => {
                onChange(fields.filter((_, i) => i !== index));
              }}
            />
          </div>
          <div className="sy-ticket-field-row">
            <Input
              size="small"
              value={field.label}
              placeholder={t('settings.fieldLabel')}
              aria-label={t('settings.fieldLabel')}
              onChange={(event) => {
                write(index, { label: event.target.value });
              }}
            />
            <Select
              size="small"
              value={field.type}
              options={FIELD_TYPES.map((type) => ({ value: type, label: t(`fieldTypes.${type}`) }))}
              onChange={(type: TicketField['type']) => {
                write(index, { type });
              }}
              className="sy-ticket-field-type"
            />
            <Checkbox
              checked={field.required === true}
              onChange={(event) => {
                write(index, { required: event.target.checked });
              }}
              className="sy-ticket-field-required"
            >
              {t('settings.required')}
            </Checkbox>
          </div>
          {field.type === 'enum' && (
            <Select
              size="small"
              mode="tags"
              value={field.options ?? []}
              open={false}
              suffix={null}
              placeholder={t('settings.options')}
              onChange={(options: string[]) => {
                write(index, { options });
              }}
            />
          )}
        </div>
      ))}
      <Button
        size="small"
        type="dashed"
        icon={<PlusOutlined />}
        onClick={() => {
          const taken = new Set(fields.map((field) => field.key));
          let key = 'field';
          for (let n = 2; taken.has(key); n++) key = `field${n}`;
          onChange([...fields, { key, label: key, type: 'string' }]);
        }}
      >
        {t('settings.addField')}
      </Button>
    </div>
  );
}

function TeamsEditor({
  doc,
  onChange,
}: {
  readonly doc: FlowDocument;
  readonly onChange: (teams: FlowDocument['teams']) => void;
}) {
  const { t } = useTranslation('designer');
  const teams = doc.teams;
  const write = (index: number, patch: Partial<FlowDocument['teams'][number]>) => {
    onChange(teams.map((team, i) => (i === index ? { ...team, ...patch } : team)));
  };
  return (
    <div className="sy-settings-block" data-field-path="$.teams">
      <div className="sy-props-section-title">{t('settings.teams')}</div>
      {teams.map((team, index) => (
        <div className="sy-ticket-field" key={index} data-field-path={`$.teams[${index}]`}>
          <div className="sy-ticket-field-row">
            <Input
              size="small"
              value={team.id}
              aria-label={t('settings.teamId')}
              placeholder={t('settings.teamId')}
              onChange={(event) => {
                write(index, { id: event.target.value });
              }}
              className="sy-team-id"
            />
            <Input
              size="small"
              value={team.name}
              aria-label={t('settings.teamName')}
              placeholder={t('settings.teamName')}
              onChange={(event) => {
                write(index, { name: event.target.value });
              }}
            />
            <Button
              size="small"
              type="text"
              danger
              icon={<DeleteOutlined />}
              aria-label={t('form.remove')}
              onClick={() => {
                onChange(teams.filter((_, i) => i !== index));
              }}
            />
          </div>
          <Select
            size="small"
            mode="tags"
            value={team.skills}
            open={false}
            suffix={null}
            placeholder={t('settings.skills')}
            onChange={(skills: string[]) => {
              write(index, { skills });
            }}
          />
        </div>
      ))}
      <Button
        size="small"
        type="dashed"
        icon={<PlusOutlined />}
        onClick={() => {
          const taken = new Set(teams.map((team) => team.id));
          let id = 'team';
          for (let n = 2; taken.has(id); n++) id = `team-${n}`;
          onChange([...teams, { id, name: id, skills: [] }]);
        }}
      >
        {t('settings.addTeam')}
      </Button>
    </div>
  );
}
