import { randomUUID } from 'node:crypto';
import { compileFlow } from '@switchyard/compiler';
import {
  CURRENT_SCHEMA_VERSION,
  flowDocumentSchema,
  formatDiagnostic,
  getNodeKind,
  ID_PATTERN,
} from '@switchyard/flow';
import type { FlowDocument } from '@switchyard/flow';
import { z } from 'zod';
import { getContentHash } from './canonical-json';
import { InvalidInputError, PreconditionError } from './errors';
import type { Repository } from './repository';

/** A flow id from free text: lower-case letters, digits and dashes, starting with a letter. */
export function toFlowIdBase(text: string): string {
  const slug = text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^[^a-z]+/, '')
    .replace(/-+$/, '')
    .slice(0, 50);
  return ID_PATTERN.test(slug) ? slug : 'flow';
}

const configRecord = z.record(z.string(), z.unknown());

/** A catalog default config as a node's config record (a copy). */
function toConfig(config: unknown): Record<string, unknown> {
  return configRecord.parse(structuredClone(config));
}

/** intake → end: a new flow that lints clean and can be published as is. */
export function createEmptyDocument(id: string, name: string): FlowDocument {
  return {
    schemaVersion: CURRENT_SCHEMA_VERSION,
    id,
    name,
    ticketFields: [],
    teams: [],
    calendars: [],
    nodes: [
      {
        id: 'intake',
        kind: 'intake',
        label: 'Intake',
        position: { x: 0, y: 0 },
        config: toConfig(getNodeKind('intake').defaultConfig),
      },
      {
        id: 'done',
        kind: 'end',
        label: 'Done',
        position: { x: 0, y: 200 },
        config: toConfig(getNodeKind('end').defaultConfig),
      },
    ],
    edges: [{ id: 'e1', source: 'intake', sourcePort: 'next', target: 'done' }],
  };
}

/** Where a JSON.parse error happened, as "line L, column C". */
function describeJsonError(text: string, error: SyntaxError): string {
  const position = /position (\d+)/.exec(error.message)?.[1];
  const lineColumn = /line (\d+) column (\d+)/.exec(error.message);
  if (lineColumn !== null)
    return `Line ${lineColumn[1]}, column ${lineColumn[2]}: ${error.message}`;
  if (position === undefined) return `${error.message} (the text is not JSON)`;
  const before = text.slice(0, Number(position));
  const line = before.split('\n').length;
  const column = Number(position) - before.lastIndexOf('\n');
  return `Line ${line}, column ${column}: ${error.message}`;
}

/** Parses Flow JSON text (a file import): JSON syntax and the document schema, fields named. */
export function parseFlowText(text: string): FlowDocument {
  let value: unknown;
  try {
    value = JSON.parse(text) as unknown;
  } catch (error: unknown) {
    const message =
      error instanceof SyntaxError ? describeJsonError(text, error) : 'The text is not JSON';
    throw new InvalidInputError(`Not valid JSON: ${message}`, [{ path: 'json', message }]);
  }
  const parsed = flowDocumentSchema.safeParse(value);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((issue) => ({
      path: ['json', ...issue.path.map(String)].join('.'),
      message: issue.message,
    }));
    throw new InvalidInputError(
      `Not a Flow document: ${issues.map((issue) => `${issue.path}: ${issue.message}`).join('; ')}`,
      issues,
    );
  }
  return parsed.data;
}

/** The trained models a published version uses: resolved and pinned before its row is written. */
export interface PublishModels {
  /** Model id → content hash for the document's classify steps; throws naming a missing one. */
  resolveForPublish(document: unknown): Record<string, string>;
  /** Writes the version's pins (models.ts). */
  pin(versionId: string, flowId: string, hashes: Readonly<Record<string, string>>): void;
  /** The runtime serves the pinned models from now on. */
  activate(hashes: Readonly<Record<string, string>>): void;
}

/**
 * Publishes `document` as the next version of `flowId`: lint must pass (PRECONDITION_FAILED
 * lists every error otherwise), every trained model its classify steps name must exist (their
 * content hashes are pinned to the version before its row is written), the compiled machine and
 * source map are stored with it, and the publish is audited in the same transaction.
 */
export function publishDocument(
  repository: Repository,
  args: {
    flowId: string;
    document: unknown;
    note: string | null;
    actorId: string | null;
    action: 'version.publish' | 'version.rollback';
    details?: Readonly<Record<string, unknown>>;
    models?: PublishModels;
  },
): number {
  const result = compileFlow(args.document);
  const errors = result.diagnostics.filter((diagnostic) => diagnostic.severity === 'error');
  if (result.machine === undefined || result.sourceMap === undefined || errors.length > 0) {
    throw new PreconditionError(
      `Flow ${args.flowId} has ${errors.length} lint error(s) and cannot be published: ${errors
        .slice(0, 5)
        .map((diagnostic) => formatDiagnostic(diagnostic))
        .join('; ')}`,
      errors,
    );
  }
  const id = randomUUID();
  const hashes = args.models?.resolveForPublish(args.document) ?? {};
  args.models?.pin(id, args.flowId, hashes);
  const number = repository.insertVersion(
    {
      id,
      flowId: args.flowId,
      contentHash: getContentHash(args.document),
      document: JSON.stringify(args.document),
      machine: JSON.stringify(result.machine),
      sourceMap: JSON.stringify(result.sourceMap),
      note: args.note,
      publishedById: args.actorId,
    },
    args.action,
    {
      note: args.note,
      ...args.details,
      ...(Object.keys(hashes).length > 0 && { models: hashes }),
    },
  );
  args.models?.activate(hashes);
  return number;
}
