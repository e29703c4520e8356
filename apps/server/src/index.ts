export { ConfigError, loadConfig } from './config';
export type { ServerConfig } from './config';
export { createServer } from './server';
export type { CreateServerOptions, SwitchyardServer } from './server';
export { readMailOutbox } from './effects';
export type { OutboxMail } from './effects';
export { signWebhook, verifyWebhook, SIGNATURE_HEADER, TIMESTAMP_HEADER } from './signing';
export { hashToken, generateToken } from './auth';
