import type { SqliteDatabase } from '@switchyard/db';
import type { EventRecord, TicketRecord } from '@switchyard/engine';
import { z } from 'zod';

/** The flow version a ticket runs on, as the ticket page's read-only mini canvas draws it. */
export interface FlowPicture {
  readonly versionId: string;
  readonly flowId: string;
  readonly version: number;
  readonly name: string;
  readonly nodes: readonly {
    readonly id: string;
    readonly kind: string;
    readonly label: string;
    readonly position: { readonly x: number; readonly y: number };
  }[];
  readonly edges: readonly {
    readonly id: string;
    readonly source: string;
    readonly sourcePort: string;
    readonly target: string;
  }[];
}

/** One processed event with its explain-why. */
export interface TimelineEntry {
  readonly seq: number;
  readonly type: string;
  readonly at: string;
  readonly actor: string | null;
  /** The event's own fields (message, reason, score…), without the ticket snapshot of TICKET.CREATED. */
  readonly details: Readonly<Record<string, unknown>>;
  readonly fromNodes: readonly string[];
  readonly toNodes: readonly string[];
  readonly entered: readonly string[];
  readonly edges: readonly string[];
  readonly guards: readonly {
    readonly expression: string;
    readonly inputs: Readonly<Record<string, unknown>>;
    readonly result: boolean;
    readonly error?: string | undefined;
  }[];
  readonly effects: readonly { readonly kind: string; readonly summary: string }[];
  readonly notes: readonly string[];
  readonly timers: {
    readonly scheduled: readonly { readonly key: string; readonly dueAt?: string | undefined }[];
    readonly cancelled: readonly string[];
    readonly fired: readonly string[];
  };
}

export interface Timeline {
  readonly flow: FlowPicture | null;
  readonly currentNodes: readonly string[];
  /** Every node the ticket has been in and every edge it took, for the canvas. */
  readonly visitedNodes: readonly string[];
  readonly takenEdges: readonly string[];
  readonly entries: readonly TimelineEntry[];
}

const documentSchema = z.object({
  name: z.string().default(''),
  nodes: z.array(
    z
      .object({
        id: z.string(),
        kind: z.string(),
        label: z.string().optional(),
        position: z.object({ x: z.number(), y: z.number() }).default({ x: 0, y: 0 }),
      })
      .loose(),
  ),
  edges: z.array(
    z
      .object({
        id: z.string(),
        source: z.string(),
        sourcePort: z.string().default('next'),
        target: z.string(),
      })
      .loose(),
  ),
});

function getActor(event: EventRecord['event']): string | null {
  if ('by' in event && typeof event.by === 'string') return event.by;
  if ('from' in event && typeof event.from === 'string') return event.from;
  return null;
}

/** The ticket page's timeline (events with their traces) and its flow picture. */
export function createTimelines(db: SqliteDatabase) {
  const versionSql = db.prepare<
    [string],
    { id: string; flowId: string; number: number; document: string }
  >('SELECT "id", "flowId", "number", "document" FROM "FlowVersion" WHERE "id" = ?');
  const pictures = new Map<string, FlowPicture | null>();

  function getFlowPicture(versionId: string): FlowPicture | null {
    if (pictures.has(versionId)) return pictures.get(versionId) ?? null;
    const row = versionSql.get(versionId);
    let picture: FlowPicture | null = null;
    if (row !== undefined) {
      const parsed = documentSchema.safeParse(JSON.parse(row.document));
      if (parsed.success) {
        picture = {
          versionId: row.id,
          flowId: row.flowId,
          version: row.number,
          name: parsed.data.name,
          nodes: parsed.data.nodes.map((node) => ({
            id: node.id,
            kind: node.kind,
            label: node.label ?? node.id,
            position: node.position,
          })),
          edges: parsed.data.edges.map((edge) => ({
            id: edge.id,
            source: edge.source,
            sourcePort: edge.sourcePort,
            target: edge.target,
          })),
        };
      }
    }
    // Published versions never change: one parse per server.
    pictures.set(versionId, picture);
    return picture;
  }

  return {
    getFlowPicture,
    get(record: TicketRecord, events: readonly EventRecord[]): Timeline {
      const visited = new Set<string>();
      const taken = new Set<string>();
      const entries = events.map((entry): TimelineEntry => {
        const { trace, event } = entry;
        for (const node of [...trace.fromNodes, ...trace.entered, ...trace.toNodes]) {
          visited.add(node);
        }
        for (const edge of trace.edges) taken.add(edge);
        const details: Record<string, unknown> = { ...event };
        delete details.type;
        delete details.ticket;
        return {
          seq: entry.seq,
          type: event.type,
          at: entry.at,
          actor: getActor(event),
          details,
          fromNodes: trace.fromNodes,
          toNodes: trace.toNodes,
          entered: trace.entered,
          edges: trace.edges,
          guards: trace.guards.map((guard) => ({
            expression: guard.expression,
            inputs: guard.inputs,
            result: guard.result,
            error: guard.error,
          })),
          effects: trace.effects.map((effect) => ({ kind: effect.kind, summary: effect.summary })),
          notes: trace.notes,
          timers: {
            scheduled: trace.timers.scheduled.map((timer) => ({
              key: timer.key,
              dueAt: timer.dueAt,
            })),
            cancelled: trace.timers.cancelled.map((timer) => timer.key),
            fired: trace.timers.fired.map((timer) => timer.key),
          },
        };
      });
      for (const node of record.currentNodes) visited.add(node);
      return {
        flow: getFlowPicture(record.flowVersionId),
        currentNodes: record.currentNodes,
        visitedNodes: [...visited],
        takenEdges: [...taken],
        entries,
      };
    },
  };
}

export type Timelines = ReturnType<typeof createTimelines>;
