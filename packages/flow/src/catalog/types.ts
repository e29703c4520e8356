import type { z } from 'zod';

export type Locale = 'en' | 'zh-CN';
export type LocalizedText = Readonly<Record<Locale, string>>;

export interface PortDefinition {
  readonly id: string;
  readonly label: LocalizedText;
  /** A required port left unconnected is a lint error; an optional one is fine. */
  readonly required: boolean;
}

/** A CEL expression inside a node's config, with its path relative to the config. */
export interface ConfigExpression {
  readonly path: readonly (string | number)[];
  readonly source: string;
}

/** A message template inside a node's config. */
export interface ConfigTemplate {
  readonly path: readonly (string | number)[];
  readonly text: string;
}

export type ReferenceType = 'team' | 'calendar' | 'field';

/** A reference from a node's config to something declared elsewhere in the flow. */
export interface ConfigReference {
  readonly type: ReferenceType;
  readonly id: string;
  readonly path: readonly (string | number)[];
}

export type NodeGroup =
  'trigger' | 'routing' | 'people' | 'timing' | 'messaging' | 'automation' | 'terminal';

/**
 * Everything the product knows about one node kind, declared once. The compiler and engine key
 * their behaviour by `kind` with exhaustive maps, so adding a kind without them fails to type-check.
 */
export interface NodeKindDefinition<TKind extends string = string, TConfig = unknown> {
  readonly kind: TKind;
  readonly label: LocalizedText;
  /** Icon key the designer maps to an icon component. */
  readonly icon: string;
  readonly group: NodeGroup;
  /** Documentation shown in the palette and the properties panel. */
  readonly description: LocalizedText;
  readonly configSchema: z.ZodType<TConfig>;
  readonly defaultConfig: TConfig;
  /** Output ports for a given config (e.g. one per category for `classify`). */
  getPorts(config: TConfig): readonly PortDefinition[];
  /**
   * True when the node waits for an external event or a timer before it moves on. A cycle made
   * only of non-waiting nodes would spin forever, so lint rejects it.
   */
  waits(config: TConfig): boolean;
  /** One-line summary shown on the canvas node, e.g. "High: 2h · Urgent: 30m". */
  summarize(config: TConfig): string;
  getExpressions(config: TConfig): readonly ConfigExpression[];
  getTemplates(config: TConfig): readonly ConfigTemplate[];
  getReferences(config: TConfig): readonly ConfigReference[];
}

export function text(en: string, zh: string): LocalizedText {
  return { en, 'zh-CN': zh };
}

export function port(id: string, en: string, zh: string, required = true): PortDefinition {
  return { id, label: text(en, zh), required };
}

/** Type helper: keeps each entry's config type while checking it against the interface. */
export function defineNodeKind<TKind extends string, TConfig>(
  definition: NodeKindDefinition<TKind, TConfig>,
): NodeKindDefinition<TKind, TConfig> {
  return definition;
}

export const none = (): readonly never[] => [];
