import { ExperimentOutlined, SlidersOutlined } from '@ant-design/icons';
import { Tabs } from 'antd';
import { useCallback, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { SimulatorPanel } from '../../simulator';
import type { SimulationHighlight } from '../../simulator';
import { useDesigner, useSession } from './context';
import { Inspector } from './Inspector';
import { useDesignerUi } from './ui-context';

/** The simulator on the draft being edited (re-rendered as the draft changes). */
function DraftSimulator({
  onHighlight,
}: {
  readonly onHighlight: (highlight: SimulationHighlight | null) => void;
}) {
  const { flowId, autosave } = useSession();
  const doc = useDesigner((state) => state.doc);
  return (
    <SimulatorPanel
      document={doc}
      flowId={flowId}
      onHighlight={onHighlight}
      saveDraft={() => autosave.flush()}
    />
  );
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
  const ui = useDesignerUi();
  const followed = useRef<string | null>(null);
  const coverage = useRef('');
  // Stepping follows the ticket: the canvas pans to the node it is in now. A new coverage result
  // shows the whole flow, so the covered and uncovered edges are in view.
  const highlightAndFollow = useCallback(
    (highlight: SimulationHighlight | null) => {
      onHighlight(highlight);
      const current = highlight?.currentNodes[0] ?? null;
      const covered = [
        ...(highlight?.coveredEdges ?? []),
        '|',
        ...(highlight?.uncoveredEdges ?? []),
      ].join(' ');
      if (covered !== coverage.current && covered !== '|') ui.canvas.current?.showFlow();
      else if (current !== null && current !== followed.current) {
        ui.canvas.current?.centerOn(current);
      }
      coverage.current = covered;
      followed.current = current;
    },
    [onHighlight, ui.canvas],
  );
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
            children: <DraftSimulator onHighlight={highlightAndFollow} />,
          },
        ]}
      />
    </div>
  );
}
