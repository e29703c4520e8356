import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FLOW_NODE_HEIGHT, FLOW_NODE_WIDTH, getThumbnailLayout } from './thumbnail';
import type { ThumbnailLayout, ThumbnailNode, ThumbnailSource } from './thumbnail';

const BOX = { width: 320, height: 150, padding: 10 };

function nodeAt(layout: ThumbnailLayout, index: number): ThumbnailNode {
  const node = layout.nodes[index];
  if (node === undefined) throw new Error(`no node ${index}`);
  return node;
}

function flow(
  positions: readonly [number, number][],
  edges: [number, number][] = [],
): ThumbnailSource {
  return {
    nodes: positions.map(([x, y], index) => ({
      id: `n${index}`,
      kind: 'assign',
      position: { x, y },
    })),
    edges: edges.map(([source, target], index) => ({
      id: `e${index}`,
      source: `n${source}`,
      target: `n${target}`,
    })),
  };
}

describe('getThumbnailLayout', () => {
  it('draws nothing for an empty flow', () => {
    expect(getThumbnailLayout(flow([]), BOX)).toEqual({
      width: 320,
      height: 150,
      nodes: [],
      edges: [],
    });
  });

  it('scales a wide flow to the width, keeps the aspect ratio and centres it vertically', () => {
    // Two nodes 1,000 apart: span 1,200 × 72 flow units; inner box 300 × 130 → scale 0.25.
    const layout = getThumbnailLayout(
      flow([
        [0, 0],
        [1000, 0],
      ]),
      BOX,
    );
    const a = nodeAt(layout, 0);
    const b = nodeAt(layout, 1);
    expect(a).toMatchObject({ x: 10, width: 50, height: 18 });
    expect(b.x).toBe(260);
    expect(b.x + b.width).toBe(310);
    // Vertically centred: (130 - 18) / 2 + 10.
    expect(a.y).toBe(66);
    expect(a.width / a.height).toBeCloseTo(FLOW_NODE_WIDTH / FLOW_NODE_HEIGHT, 1);
  });

  it('does not blow up a tiny flow beyond the maximum zoom', () => {
    const layout = getThumbnailLayout(flow([[500, 500]]), { ...BOX, maxScale: 0.3 });
    expect(layout.nodes[0]).toMatchObject({ width: 60, height: 21.6, x: 130 });
  });

  it('connects the source’s right side to the target’s left side and skips dangling edges', () => {
    const layout = getThumbnailLayout(
      flow(
        [
          [0, 0],
          [400, 0],
        ],
        [
          [0, 1],
          [0, 7],
        ],
      ),
      BOX,
    );
    expect(layout.edges).toHaveLength(1);
    const source = nodeAt(layout, 0);
    const target = nodeAt(layout, 1);
    const d = layout.edges[0]?.d ?? '';
    expect(d.startsWith(`M${source.x + source.width},${source.y + source.height / 2} `)).toBe(true);
    expect(d.endsWith(` ${target.x},${target.y + target.height / 2}`)).toBe(true);
  });

  it('colours nodes by catalog group and marks unknown kinds', () => {
    const layout = getThumbnailLayout(
      {
        nodes: [
          { id: 'a', kind: 'intake', position: { x: 0, y: 0 } },
          { id: 'b', kind: 'teleport', position: { x: 300, y: 0 } },
        ],
        edges: [],
      },
      BOX,
    );
    expect(layout.nodes.map((node) => node.group)).toEqual(['trigger', null]);
  });

  it('keeps every node inside the thumbnail, whatever the positions', () => {
    const coordinate = fc.oneof(
      fc.double({ min: -1e6, max: 1e6, noNaN: true }),
      fc.constantFrom(Number.NaN, Number.POSITIVE_INFINITY),
    );
    fc.assert(
      fc.property(
        fc.array(fc.tuple(coordinate, coordinate), { minLength: 1, maxLength: 40 }),
        (positions) => {
          const layout = getThumbnailLayout(flow(positions), BOX);
          for (const node of layout.nodes) {
            expect(node.x).toBeGreaterThanOrEqual(BOX.padding - 0.1);
            expect(node.y).toBeGreaterThanOrEqual(BOX.padding - 0.1);
            expect(node.x + node.width).toBeLessThanOrEqual(BOX.width - BOX.padding + 0.2);
            expect(node.y + node.height).toBeLessThanOrEqual(BOX.height - BOX.padding + 0.2);
          }
        },
      ),
    );
  });
});
