import { SearchOutlined } from '@ant-design/icons';
import { NODE_CATALOG, NODE_KINDS } from '@switchyard/flow';
import type { NodeGroup, NodeKind } from '@switchyard/flow';
import { Empty, Input, Tooltip, Typography } from 'antd';
import { useMemo, useState } from 'react';
import type { DragEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { toCatalogLocale } from '../model/node-view';
import { PALETTE_MIME } from './Canvas';
import { KindTile } from './icons';
import { useDesignerUi } from './ui-context';

const GROUP_ORDER: readonly NodeGroup[] = [
  'trigger',
  'routing',
  'people',
  'timing',
  'messaging',
  'automation',
  'terminal',
];

/** The catalog's kinds whose label, id or description contain every word of the query. */
export function searchKinds(query: string): NodeKind[] {
  const words = query.trim().toLowerCase().split(/\s+/).filter(Boolean);
  if (words.length === 0) return NODE_KINDS;
  return NODE_KINDS.filter((kind) => {
    const entry = NODE_CATALOG[kind];
    const text = [
      kind,
      entry.label.en,
      entry.label['zh-CN'],
      entry.description.en,
      entry.description['zh-CN'],
    ]
      .join(' ')
      .toLowerCase();
    return words.every((word) => text.includes(word));
  });
}

/** The node kinds from the catalog, grouped and searchable; drag one onto the canvas or click it. */
export function Palette() {
  const { t, i18n } = useTranslation('designer');
  const locale = toCatalogLocale(i18n.language);
  const ui = useDesignerUi();
  const [query, setQuery] = useState('');
  const kinds = useMemo(() => searchKinds(query), [query]);
  const groups = GROUP_ORDER.map((group) => ({
    group,
    kinds: kinds.filter((kind) => NODE_CATALOG[kind].group === group),
  })).filter((entry) => entry.kinds.length > 0);

  const onDragStart = (event: DragEvent, kind: NodeKind) => {
    event.dataTransfer.setData(PALETTE_MIME, kind);
    event.dataTransfer.effectAllowed = 'copy';
  };

  return (
    <aside className="sy-palette" aria-label={t('palette.title')}>
      <div className="sy-panel-heading">{t('palette.title')}</div>
      <div className="sy-palette-search">
        <Input
          allowClear
          size="middle"
          prefix={<SearchOutlined className="sy-muted" />}
          placeholder={t('palette.search')}
          value={query}
          onChange={(event) => {
            setQuery(event.target.value);
          }}
          data-testid="palette-search"
        />
      </div>
      <div className="sy-palette-list">
        {groups.length === 0 && (
          <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('palette.noMatch')} />
        )}
        {groups.map(({ group, kinds: groupKinds }) => (
          <section key={group} className="sy-palette-group">
            <div className="sy-palette-group-title">{t(`groups.${group}`)}</div>
            {groupKinds.map((kind) => {
              const entry = NODE_CATALOG[kind];
              return (
                <Tooltip
                  key={kind}
                  title={entry.description[locale]}
                  placement="right"
                  mouseEnterDelay={0.6}
                >
                  <div
                    className="sy-palette-item"
                    draggable
                    role="button"
                    tabIndex={0}
                    data-testid={`palette-${kind}`}
                    onDragStart={(event) => {
                      onDragStart(event, kind);
                    }}
                    onClick={() => ui.canvas.current?.addKind(kind)}
                    onKeyDown={(event) => {
                      if (event.key === 'Enter' || event.key === ' ') {
                        event.preventDefault();
                        ui.canvas.current?.addKind(kind);
                      }
                    }}
                  >
                    <KindTile kind={kind} size={30} />
                    <div className="sy-palette-text">
                      <div className="sy-palette-label">{entry.label[locale]}</div>
                      <Typography.Text type="secondary" className="sy-palette-description">
                        {entry.description[locale]}
                      </Typography.Text>
                    </div>
                  </div>
                </Tooltip>
              );
            })}
          </section>
        ))}
      </div>
      <div className="sy-palette-hint">{t('palette.hint')}</div>
    </aside>
  );
}
