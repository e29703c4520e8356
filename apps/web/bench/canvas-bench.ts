/**
 * Canvas benchmark: builds a page that opens the designer on a generated N-node flow (in-memory
 * backend), loads it in headless Chromium and measures
 *   - open: ms from mounting the designer until every node in view is drawn;
 *   - pan: frame times while panning the canvas with the wheel;
 *   - drag: frame times while dragging a node;
 *   - fit view: ms to zoom out to the whole flow (every node in view), then panning there.
 * Frame times are rAF intervals (16.7 ms = 60 fps); `cpuPerFrameMs` and `openCpuMs` are the page's
 * main-thread busy time (CDP TaskDuration), which stays meaningful on a loaded machine where wall
 * times are not. `openMs` is wall time from mounting the designer to drawn nodes. Usage:
 *   npm run bench:canvas -w @switchyard/web -- --sizes 100,1000 [--keep]
 * The last line of output is JSON.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import type { CDPSession, Page } from 'playwright-core';
import { build, preview } from 'vite';

const webRoot = new URL('..', import.meta.url).pathname;
const args = process.argv.slice(2);
const option = (name: string) => {
  const index = args.indexOf(`--${name}`);
  return index < 0 ? undefined : args[index + 1];
};
const sizes = (option('sizes') ?? '100,500,1000').split(',').map(Number);

interface FrameStats {
  frames: number;
  /** Main-thread CPU time (Chromium's TaskDuration) per frame: what the page costs, load aside. */
  cpuPerFrameMs: number;
  meanMs: number;
  p50Ms: number;
  p95Ms: number;
  maxMs: number;
  fps: number;
}

function stats(intervals: number[], cpuMs: number): FrameStats {
  // The first interval includes the wait before the gesture started.
  const sorted = intervals.slice(1).sort((a, b) => a - b);
  const pick = (q: number) =>
    sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
  const total = sorted.reduce((sum, value) => sum + value, 0);
  const round = (value: number) => Math.round(value * 10) / 10;
  return {
    frames: sorted.length,
    cpuPerFrameMs: round(cpuMs / Math.max(1, sorted.length)),
    meanMs: round(total / Math.max(1, sorted.length)),
    p50Ms: round(pick(0.5)),
    p95Ms: round(pick(0.95)),
    maxMs: round(sorted.at(-1) ?? 0),
    fps: round((1000 * sorted.length) / Math.max(1, total)),
  };
}

/** Main-thread busy time so far (ms), from the Chrome DevTools Protocol. */
async function getTaskMs(session: CDPSession): Promise<number> {
  const { metrics } = await session.send('Performance.getMetrics');
  return (metrics.find((metric) => metric.name === 'TaskDuration')?.value ?? 0) * 1000;
}

async function measure(
  page: Page,
  session: CDPSession,
  gesture: () => Promise<void>,
): Promise<FrameStats> {
  const before = await getTaskMs(session);
  await page.evaluate(() => {
    (window as unknown as { __bench: { startFrames(): void } }).__bench.startFrames();
  });
  await gesture();
  const intervals = await page.evaluate(() =>
    (window as unknown as { __bench: { stopFrames(): number[] } }).__bench.stopFrames(),
  );
  return stats(intervals, (await getTaskMs(session)) - before);
}

async function run() {
  const outDir = mkdtempSync(join(tmpdir(), 'switchyard-canvas-bench-'));
  process.stderr.write(`building the benchmark page into ${outDir}…\n`);
  await build({
    root: webRoot,
    configFile: join(webRoot, 'vite.config.ts'),
    logLevel: 'warn',
    build: {
      outDir,
      emptyOutDir: true,
      rollupOptions: { input: join(webRoot, 'bench/canvas.html') },
    },
  });
  const server = await preview({
    root: webRoot,
    configFile: join(webRoot, 'vite.config.ts'),
    logLevel: 'warn',
    build: { outDir },
    preview: { port: 0, host: '127.0.0.1' },
  });
  const address = server.resolvedUrls?.local[0] ?? 'http://127.0.0.1:4173/';
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
    ],
  });
  const results = [];
  try {
    for (const size of sizes) {
      const page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
      const session = await page.context().newCDPSession(page);
      await session.send('Performance.enable');
      const startedAt = performance.now();
      await page.goto(`${address}bench/canvas.html?n=${size}`);
      await page.waitForFunction(
        () =>
          (window as unknown as { __bench?: { openMs?: number } }).__bench?.openMs !== undefined,
        undefined,
        { timeout: 120_000 },
      );
      const openWallMs = performance.now() - startedAt;
      // Busy time of the page's main thread from navigation until the nodes in view were drawn:
      // parsing and running the bundle, building the store, linting, rendering.
      const openCpuMs = await getTaskMs(session);
      const openMs = await page.evaluate(
        () => (window as unknown as { __bench: { openMs: number } }).__bench.openMs,
      );
      const rendered = await page.locator('.react-flow__node').count();
      const canvas = page.locator('.react-flow__pane');
      const box = await canvas.boundingBox();
      if (box === null) throw new Error('no canvas');
      const cx = box.x + box.width / 2;
      const cy = box.y + box.height / 2;
      await page.mouse.move(cx, cy);
      const pan = await measure(page, session, async () => {
        for (let step = 0; step < 60; step++) {
          await page.mouse.wheel(step < 30 ? 40 : -40, step % 2 === 0 ? 25 : -25);
          await page.waitForTimeout(16);
        }
      });
      const node = page.locator('.react-flow__node').first();
      const nodeBox = await node.boundingBox();
      if (nodeBox === null) throw new Error('no node to drag');
      const sx = nodeBox.x + nodeBox.width / 2;
      const sy = nodeBox.y + 18;
      const drag = await measure(page, session, async () => {
        await page.mouse.move(sx, sy);
        await page.mouse.down();
        for (let step = 1; step <= 60; step++) {
          await page.mouse.move(sx + step * 4, sy + Math.sin(step / 6) * 40);
          await page.waitForTimeout(16);
        }
        await page.mouse.up();
      });
      // Zoom out to the whole flow (React Flow's fit-view control, no animation): every node is
      // in view then, the worst case for rendering.
      // (Strings, not functions: tsx would wrap inner functions in a helper the page lacks.)
      await page.evaluate(`window.__fitStarted = performance.now();
        document.querySelector('.react-flow__controls-fitview').click();`);
      await page.waitForFunction(
        `(() => {
          const match = /scale\\(([0-9.]+)\\)/.exec(
            document.querySelector('.react-flow__viewport').style.transform,
          );
          return match !== null && Number(match[1]) < 0.5;
        })()`,
      );
      const fitViewMs = await page.evaluate<number>(`(async () => {
        await new Promise((resolve) => requestAnimationFrame(resolve));
        await new Promise((resolve) => requestAnimationFrame(resolve));
        return performance.now() - window.__fitStarted;
      })()`);
      const renderedAfterFit = await page.locator('.react-flow__node').count();
      const panZoomedOut = await measure(page, session, async () => {
        await page.mouse.move(cx, cy);
        for (let step = 0; step < 30; step++) {
          await page.mouse.wheel(step < 15 ? 30 : -30, 0);
          await page.waitForTimeout(16);
        }
      });
      const result = {
        nodes: size,
        openMs: Math.round(openMs),
        openCpuMs: Math.round(openCpuMs),
        openWallMs: Math.round(openWallMs),
        renderedNodes: rendered,
        pan,
        drag,
        fitViewMs: Math.round(fitViewMs),
        renderedAfterFit,
        panZoomedOut,
      };
      process.stderr.write(`${JSON.stringify(result)}\n`);
      results.push(result);
      await page.close();
    }
  } finally {
    await browser.close();
    await new Promise<void>((resolve) => {
      server.httpServer.close(() => {
        resolve();
      });
    });
    if (!args.includes('--keep')) rmSync(outDir, { recursive: true, force: true });
  }
  process.stdout.write(`${JSON.stringify({ benchmark: 'canvas', results })}\n`);
}

await run();
