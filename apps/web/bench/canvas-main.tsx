import { App as AntApp, ConfigProvider } from 'antd';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { createMemoryBackend, Designer, DesignerBackendContext } from '../src/designer';
import '../src/i18n';
import '../src/shell/app.css';
import { appTheme } from '../src/shell/theme';
import { generateFlow } from './generate-flow';

/** What the benchmark script reads from the page. */
export interface BenchWindow {
  __bench?: {
    /** ms from mounting the designer until every node in view is drawn. */
    openMs?: number;
    nodeCount: number;
    /** Record frame-to-frame intervals until `stop` is called. */
    startFrames(): void;
    stopFrames(): number[];
  };
}

const params = new URLSearchParams(location.search);
const count = Math.max(2, Number(params.get('n') ?? '1000'));
const flow = generateFlow(count);
const backend = createMemoryBackend(new Map([['bench', flow]]));
const root = document.getElementById('root');
if (root === null) throw new Error('no #root');
root.style.height = '100vh';
root.style.display = 'flex';

let frames: number[] = [];
let recording = false;
const bench: NonNullable<BenchWindow['__bench']> = {
  nodeCount: count,
  startFrames() {
    frames = [];
    recording = true;
    let last = performance.now();
    const tick = (now: number) => {
      if (!recording) return;
      frames.push(now - last);
      last = now;
      requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  },
  stopFrames() {
    recording = false;
    return frames;
  },
};
(window as BenchWindow).__bench = bench;

const started = performance.now();
const waitForNodes = () => {
  const nodes = document.querySelectorAll<HTMLElement>('.react-flow__node');
  const ready = nodes.length > 0 && [...nodes].every((node) => node.style.visibility !== 'hidden');
  if (ready) bench.openMs = performance.now() - started;
  else requestAnimationFrame(waitForNodes);
};
requestAnimationFrame(waitForNodes);

createRoot(root).render(
  <StrictMode>
    <ConfigProvider theme={appTheme}>
      <AntApp style={{ display: 'flex', flex: 1, minWidth: 0 }}>
        <DesignerBackendContext.Provider value={backend}>
          <Designer flowId="bench" />
        </DesignerBackendContext.Provider>
      </AntApp>
    </ConfigProvider>
  </StrictMode>,
);
