import { getNodeKind, isNodeKind } from '@switchyard/flow';
import type {
  FlowNode,
  Locale,
  NodeKind,
  NodeKindDefinition,
  PortDefinition,
} from '@switchyard/flow';

/** What the canvas shows for a node, derived from the catalog. */
export interface NodeView {
  readonly kind: NodeKind | null;
  readonly definition: NodeKindDefinition<NodeKind> | null;
  /** The config with the kind's defaults applied, or null when it fails the kind's schema. */
  readonly config: unknown;
  /** The catalog's one-line summary ("High: 2h · Urgent: 30m"), or null when the config is broken. */
  readonly summary: string | null;
  readonly ports: readonly PortDefinition[];
}

const cache = new WeakMap<object, NodeView>();

/**
 * The catalog's view of a node: parsed config, summary and output ports. A node whose config
 * does not parse keeps the ports of the kind's default config, so its edges still attach.
 * Cached by config object: unchanged nodes cost nothing on re-render.
 */
export function getNodeView(node: FlowNode): NodeView {
  const key = node.config;
  const cached = cache.get(key);
  if (cached !== undefined && cached.kind === node.kind) return cached;
  const view = computeNodeView(node);
  cache.set(key, view);
  return view;
}

function computeNodeView(node: FlowNode): NodeView {
  if (!isNodeKind(node.kind)) {
    return { kind: null, definition: null, config: null, summary: null, ports: [] };
  }
  const definition = getNodeKind(node.kind);
  const parsed = definition.configSchema.safeParse(node.config);
  if (!parsed.success) {
    return {
      kind: node.kind,
      definition,
      config: null,
      summary: null,
      ports: safePorts(definition, definition.defaultConfig),
    };
  }
  let summary: string | null;
  try {
    summary = definition.summarize(parsed.data);
  } catch {
    summary = null; // a summary must never break the canvas
  }
  return {
    kind: node.kind,
    definition,
    config: parsed.data,
    summary,
    ports: safePorts(definition, parsed.data),
  };
}

function safePorts(
  definition: NodeKindDefinition<NodeKind>,
  config: unknown,
): readonly PortDefinition[] {
  try {
    return definition.getPorts(config);
  } catch {
    return [];
  }
}

/** A node's label for display: its own label, else the kind's label in the locale. */
export function getNodeTitle(node: FlowNode, locale: Locale): string {
  if (node.label !== undefined && node.label !== '') return node.label;
  return isNodeKind(node.kind) ? getNodeKind(node.kind).label[locale] : node.kind;
}

/** The locale key the catalog uses for an i18next language code. */
export function toCatalogLocale(language: string | undefined): Locale {
  return language?.toLowerCase().startsWith('zh') === true ? 'zh-CN' : 'en';
}
