import type { inferOutput } from '@trpc/tanstack-react-query';
import type { trpc } from './client';

/** A row of `flows.list`. */
export type FlowSummary = inferOutput<typeof trpc.flows.list>[number];
/** `flows.get`: the flow with its draft document. */
export type FlowDetail = inferOutput<typeof trpc.flows.get>;
/** A row of `versions.list`. */
export type VersionSummary = inferOutput<typeof trpc.versions.list>[number];
/** A card of `templates.list`. */
export type TemplateSummary = inferOutput<typeof trpc.templates.list>[number];
