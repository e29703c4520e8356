import { getNodeKind } from '@switchyard/flow';
import { describeSchema } from '../../model/schema-form';
import type { FieldSpec } from '../../model/schema-form';

function findField(spec: FieldSpec, path: readonly string[]): FieldSpec | null {
  let current: FieldSpec | null = spec;
  for (const key of path) {
    if (current?.kind === 'list') current = current.item;
    if (current?.kind !== 'object') return null;
    current = current.fields.find((field) => field.key === key)?.spec ?? null;
  }
  return current;
}

/** Who an SLA escalation level can reassign to, read from the `sla` kind's schema. */
export const ESCALATION_TARGETS: readonly string[] = (() => {
  const spec = findField(describeSchema(getNodeKind('sla').configSchema), [
    'escalation',
    'reassignTo',
  ]);
  return spec?.kind === 'enum' ? spec.options : ['none'];
})();
