export { Designer } from './ui/Designer';
export type { DesignerProps } from './ui/Designer';
export { DesignerBackendContext, createMemoryBackend, PublishError } from './backend';
export type { DesignerBackend, LoadedFlow } from './backend';
