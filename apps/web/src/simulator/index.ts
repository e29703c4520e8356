export { SimulatorPanel } from './SimulatorPanel';
export type { SimulatorPanelProps } from './SimulatorPanel';
export { decorateEdges, decorateNodes, useSimulationHighlight } from './highlight';
export { EMPTY_HIGHLIGHT } from './model';
export type { SimulationHighlight } from './model';
