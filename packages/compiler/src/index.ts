export {
  CLOSED_STATE,
  compileFlow,
  compileValidFlow,
  getMachineId,
  LIFECYCLE_REGION,
  MAIN_REGION,
  SLA_REGION,
} from './compile';
export type { CompileResult, SourceMap } from './compile';
export { ACTION_TYPES, GUARD_TYPES, INTERNAL_EVENTS } from './machine-types';
export type {
  ActionRef,
  ActionType,
  GuardRef,
  GuardType,
  JsonValue,
  MachineJson,
  StateNodeJson,
  TransitionJson,
} from './machine-types';
