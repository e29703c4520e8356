export {
  createEngine,
  EventNotAcceptedError,
  FlowVersionNotFoundError,
  InvalidTicketError,
  TicketNotFoundError,
} from './engine';
export type { Clock, DeliveryOutcome, Effects, Engine, EngineOptions, StepResult } from './engine';
export {
  InvalidEventError,
  parsePublicEvent,
  PUBLIC_EVENT_TYPES,
  publicEventSchema,
  ticketChangesSchema,
} from './events';
export type {
  InternalEvent,
  PublicEvent,
  PublicEventInput,
  TicketEvent,
  TicketEventType,
} from './events';
export { createMemoryStore } from './memory-store';
export type { MemoryStore } from './memory-store';
export { createFlowMachine, createInitialRuntime } from './runtime';
export type {
  FlowMachine,
  IntentModel,
  LinkBuilder,
  MachineContext,
  RuntimeState,
  SlaState,
} from './runtime';
export { ConflictError, DuplicateKeyError, getQueueRequirements, takesQueuedTicket } from './store';
export type {
  AgentRecord,
  EffectKind,
  EffectRecord,
  EffectStatus,
  EventRecord,
  FlowVersionRecord,
  NewEffect,
  QueuedTicketFilter,
  StepCommit,
  Store,
  TicketRecord,
  TimerRecord,
  TimerStatus,
} from './store';
export type { GuardTrace, TimerTrace, TraceStep } from './trace';
export {
  createSimulationCache,
  createSimulationVersion,
  DEFAULT_SIMULATION_START,
  getDefaultAgents,
  httpResponseSchema,
  scriptedEventSchema,
  simulate,
  simulationAgentSchema,
  toAgentRecord,
} from './simulator';
export type {
  ScriptedEvent,
  SimulationCache,
  SimulationInput,
  SimulationResult,
  SimulationStep,
} from './simulator';
export { REPLAY_FIELDS, ReplayInputError, replayTickets } from './replay';
export type {
  RecordedEvent,
  RecordedTicket,
  ReplayDifference,
  ReplayField,
  ReplayOptions,
  ReplayOutcome,
  ReplayResult,
  ReplayTicketResult,
} from './replay';
export {
  checkExpectations,
  runScenarios,
  scenarioFileSchema,
  scenarioSchema,
  suggestPaths,
} from './scenarios';
export type {
  EdgeSuggestion,
  Scenario,
  ScenarioFile,
  ScenarioResult,
  SuiteResult,
} from './scenarios';
