import { NODE_KINDS } from '@switchyard/flow';
import type { FlowDocument, FlowEdge, FlowNode, NodeKind } from '@switchyard/flow';
import fc from 'fast-check';
import { batch } from '../src/designer/model/changes';
import type { FlowChange } from '../src/designer/model/changes';
import { createFragment, pasteFragment } from '../src/designer/model/clipboard';
import {
  addNodeChange,
  connectChange,
  createNode,
  moveNodesChange,
  removeElementsChange,
  setNodeConfigChange,
  setNodeLabelChange,
  setSettingsChange,
} from '../src/designer/model/edits';

/** Test helpers shared by the designer tests: documents and edits of arbitrary shape. */

const idArb = fc.stringMatching(/^[a-z][a-z0-9-]{0,7}$/);
const kindArb = fc.constantFrom(...NODE_KINDS);
const xyArb = fc.record({
  x: fc.integer({ min: -2000, max: 2000 }),
  y: fc.integer({ min: -2000, max: 2000 }),
});
const configArb = fc.dictionary(
  fc.stringMatching(/^[a-z]{1,6}$/),
  fc.oneof(
    fc.string({ maxLength: 8 }),
    fc.integer(),
    fc.boolean(),
    fc.array(fc.integer(), { maxLength: 3 }),
  ),
  { maxKeys: 4 },
);

export function emptyDoc(nodes: FlowNode[] = [], edges: FlowEdge[] = []): FlowDocument {
  return {
    schemaVersion: 1,
    id: 'test-flow',
    name: 'Test flow',
    ticketFields: [],
    teams: [],
    calendars: [],
    nodes,
    edges,
  };
}

export const docArb: fc.Arbitrary<FlowDocument> = fc
  .uniqueArray(
    fc.record({
      id: idArb,
      kind: kindArb,
      label: fc.option(fc.string({ maxLength: 10 }), { nil: undefined }),
      position: xyArb,
      config: configArb,
    }),
    { selector: (node) => node.id, maxLength: 8 },
  )
  .chain((rawNodes) => {
    const nodes: FlowNode[] = rawNodes.map(({ label, ...node }) =>
      label === undefined ? node : { ...node, label },
    );
    const ids = nodes.map((node) => node.id);
    const edgeArb =
      ids.length === 0
        ? fc.constant<FlowEdge[]>([])
        : fc.uniqueArray(
            fc.record({
              id: idArb,
              source: fc.constantFrom(...ids),
              sourcePort: fc.constantFrom('next', 'else', 'timeout'),
              target: fc.constantFrom(...ids),
            }),
            { selector: (edge) => edge.id, maxLength: 10 },
          );
    return fc.record({
      nodes: fc.constant(nodes),
      edges: edgeArb,
      name: fc.string({ minLength: 1, maxLength: 12 }),
    });
  })
  .map(({ nodes, edges, name }) => ({ ...emptyDoc(nodes, edges), name }));

/** One random edit of `doc`, built with the same builders the designer uses. */
export function editArb(doc: FlowDocument): fc.Arbitrary<FlowChange> {
  const nodeIds = doc.nodes.map((node) => node.id);
  const someNodes = nodeIds.length === 0 ? fc.constant<string[]>([]) : fc.subarray(nodeIds);
  const someEdges =
    doc.edges.length === 0 ? fc.constant<string[]>([]) : fc.subarray(doc.edges.map((e) => e.id));
  const options: fc.Arbitrary<FlowChange>[] = [
    fc
      .tuple(kindArb, xyArb)
      .map(([kind, at]: [NodeKind, { x: number; y: number }]) =>
        addNodeChange(doc, createNode(doc, kind, at)),
      ),
    fc.tuple(someNodes, someEdges).map(([nodes, edges]) => removeElementsChange(doc, nodes, edges)),
    fc
      .string({ minLength: 1, maxLength: 10 })
      .map((name) => setSettingsChange(doc, { ...doc, name })),
    fc
      .tuple(someNodes, xyArb)
      .map(([ids, at]) => pasteFragment(doc, createFragment(doc, ids), at).change),
  ];
  if (nodeIds.length > 0) {
    const nodeArb = fc.constantFrom(...nodeIds);
    options.push(
      fc
        .array(fc.tuple(nodeArb, xyArb), { maxLength: 4 })
        .map((moves) => moveNodesChange(doc, moves)),
      fc.tuple(nodeArb, configArb).map(([id, config]) => setNodeConfigChange(doc, id, config)),
      fc
        .tuple(nodeArb, fc.option(fc.string({ maxLength: 6 }), { nil: undefined }))
        .map(([id, label]) => setNodeLabelChange(doc, id, label)),
      fc
        .tuple(nodeArb, fc.constantFrom('next', 'else', 'x'), nodeArb)
        .map(([source, sourcePort, target]) => connectChange(doc, { source, sourcePort, target })),
    );
  }
  return fc.oneof(...options).map((change) => batch([change]));
}
