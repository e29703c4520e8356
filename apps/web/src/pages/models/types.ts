import type { inferOutput } from '@trpc/tanstack-react-query';
import type { trpc } from '../../api/client';

/** A row of `classifier.models.list`. */
export type ModelSummary = inferOutput<typeof trpc.classifier.models.list>[number];
/** `classifier.models.get`: metadata and the cross-validation evaluation. */
export type ModelDetails = inferOutput<typeof trpc.classifier.models.get>;
/** `classifier.jobs.get`. */
export type TrainingJob = inferOutput<typeof trpc.classifier.jobs.get>;
