export { NODE_CATALOG, NODE_KINDS, getNodeKind, isNodeKind } from './catalog';
export type { NodeConfig, NodeKind } from './catalog';
export type {
  ConfigExpression,
  ConfigReference,
  ConfigTemplate,
  LocalizedText,
  Locale,
  NodeGroup,
  NodeKindDefinition,
  PortDefinition,
} from './catalog/types';
export { keywordRuleSchema } from './catalog/classify';
export type { KeywordRule, ClassifyConfig } from './catalog/classify';
export type { AssignConfig } from './catalog/assign';
export type { SlaConfig, EscalationLevel } from './catalog/sla';
export type { NotifyConfig } from './catalog/notify';
export type { ActionConfig } from './catalog/action';
export type { Message, Recipient } from './catalog/shared';
export { RECIPIENT_ROLES } from './catalog/shared';
export { WAITABLE_EVENTS } from './catalog/wait';
export { END_OUTCOMES } from './catalog/end';
export { APPROVER_ROLES } from './catalog/approval';
export { ASSIGNMENT_STRATEGIES } from './catalog/assign';
export {
  calendarSchema,
  CURRENT_SCHEMA_VERSION,
  flowDocumentSchema,
  getConditionSchema,
  ID_PATTERN,
} from './document';
export type {
  Calendar,
  FlowDocument,
  FlowDocumentInput,
  FlowEdge,
  FlowNode,
  Team,
  TicketField,
  Weekday,
} from './document';
export { diffFlows, isEmptyDiff } from './diff';
export type { DiffableFlow, FieldChange, FlowDiff, ItemChange, ItemDiff } from './diff';
export { DIAGNOSTIC_CODES, formatDiagnostic, hasErrors, toJsonPath } from './diagnostics';
export type { Diagnostic, DiagnosticCode, Severity } from './diagnostics';
export { formatDuration, parseDuration } from './duration';
export { FLOW_JSON_SCHEMA_ID, getFlowJsonSchema } from './json-schema';
export { lintFlow } from './lint';
export type { LintResult, ValidFlow, ValidNode } from './lint';
export {
  checkPlaceholder,
  getPlaceholders,
  renderTemplate,
  TEMPLATE_LINKS,
} from './message-template';
export {
  CHANNELS,
  createTicket,
  CUSTOMER_TIERS,
  IMPACTS,
  PRIORITIES,
  TICKET_ENUM_VALUES,
  TICKET_STATUSES,
  TICKET_TYPE_FIELDS,
  channelSchema,
  customerTierSchema,
  impactSchema,
  prioritySchema,
  ticketInputSchema,
  ticketSchema,
  ticketStatusSchema,
} from './ticket';
export type {
  Channel,
  CustomerTier,
  Impact,
  Priority,
  Ticket,
  TicketInput,
  TicketStatus,
} from './ticket';
