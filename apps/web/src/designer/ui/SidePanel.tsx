import { ExperimentOutlined, SlidersOutlined } from '@ant-design/icons';
import { Tabs } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { SimulatorPanel } from '../../simulator';
import type { SimulationHighlight } from '../../simulator';
import { useDesigner, useSession } from './context';
import { Inspector } from './Inspector';

/** The simulator on the draft being edited (re-rendered as the draft changes). */
function DraftSimulator({
  onHighlight,
}: {
  readonly onHighlight: (highlight: SimulationHighlight | null) => void;
}) {
  const { flowId } = useSession();
  const doc = useDesigner((state) => state.doc);
  return <SimulatorPanel document={doc} flowId={flowId} onHighlight={onHighlight} />;
}

/**
 * The right-hand side of the designer: the Inspector (properties) and the simulator as tabs.
 * Both stay mounted, so a simulation keeps its position while the admin looks at properties.
 */
export function SidePanel({
  onHighlight,
}: {
  readonly onHighlight: (highlight: SimulationHighlight | null) => void;
}) {
  const { t } = useTranslation('simulator');
  const [tab, setTab] = useState('properties');
  return (
    <div
      className={`sy-side-panel${tab === 'simulate' ? ' sy-side-panel-wide' : ''}`}
      data-testid="side-panel"
    >
      <Tabs
        size="small"
        activeKey={tab}
        onChange={setTab}
        className="sy-side-tabs"
        items={[
          {
            key: 'properties',
            label: (
              <span data-testid="tab-properties">
                <SlidersOutlined /> {t('tabs.properties')}
              </span>
            ),
            children: <Inspector />,
          },
          {
            key: 'simulate',
            label: (
              <span data-testid="tab-simulate">
                <ExperimentOutlined /> {t('tabs.simulate')}
              </span>
            ),
            children: <DraftSimulator onHighlight={onHighlight} />,
          },
        ]}
      />
    </div>
  );
}
