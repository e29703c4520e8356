import type { ExpressionEnvironment, VariableSchema } from '@switchyard/expr';
import type { Diagnostic, FlowDocument, NodeKind } from '@switchyard/flow';
import { createContext, useContext } from 'react';
import type { PathSegment } from '../../model/problems';

/** What every field of one node's form needs. */
export interface NodeForm {
  readonly nodeId: string;
  readonly kind: NodeKind;
  /** The node's index in the document: diagnostics' JSON paths use it. */
  readonly nodeIndex: number;
  /** The config as stored (may be invalid while the user edits). */
  readonly config: Readonly<Record<string, unknown>>;
  readonly doc: FlowDocument;
  /** Set the value at a path inside the config; typing in one field is one undo step. */
  setValue: (
    path: readonly PathSegment[],
    value: unknown,
    options?: { readonly merge?: boolean },
  ) => void;
  /** Lint problems exactly at this config path. */
  problemsAt: (path: readonly PathSegment[]) => readonly Diagnostic[];
  /** Lint problems at this path or inside it. */
  problemsUnder: (path: readonly PathSegment[]) => readonly Diagnostic[];
  /** Config paths (JSON paths) that hold message templates, from the catalog. */
  readonly templatePaths: ReadonlySet<string>;
  /** Variables CEL conditions in this flow can use (ticket fields incl. custom ones). */
  readonly celSchema: VariableSchema;
  readonly celEnvironment: ExpressionEnvironment;
  /** Category ids declared by the flow's classify nodes (for decision tables). */
  readonly categories: readonly string[];
}

export const NodeFormContext = createContext<NodeForm | null>(null);

export function useNodeForm(): NodeForm {
  const form = useContext(NodeFormContext);
  if (form === null) throw new Error('A field is rendered outside a node form');
  return form;
}
