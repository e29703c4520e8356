import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/index';

describe('loadConfig', () => {
  it('uses the documented defaults', () => {
    const config = loadConfig({});
    expect(config.port).toBe(3000);
    expect(config.dataDir).toMatch(/data$/);
    expect(config.databasePath).toMatch(/data\/switchyard\.db$/);
    expect(config.publicUrl).toBe('http://localhost:3000');
    expect(config.timeZone).toBe(Intl.DateTimeFormat().resolvedOptions().timeZone);
    expect(config.outboundAllowlist).toEqual([]);
  });

  it('reads DATABASE_URL, PUBLIC_URL, the time zone and the allowlist', () => {
    const config = loadConfig({
      PORT: '8080',
      DATABASE_URL: 'file:/tmp/x.db',
      PUBLIC_URL: 'https://support.example.com/',
      SWITCHYARD_TIME_ZONE: 'Asia/Shanghai',
      SWITCHYARD_OUTBOUND_ALLOWLIST: 'hooks.internal, 10.0.0.5',
      SWITCHYARD_ADMIN_EMAIL: '',
    });
    expect(config).toMatchObject({
      port: 8080,
      databasePath: '/tmp/x.db',
      publicUrl: 'https://support.example.com',
      timeZone: 'Asia/Shanghai',
      outboundAllowlist: ['hooks.internal', '10.0.0.5'],
      adminEmail: undefined,
    });
  });

  it.each([
    ['PORT', { PORT: 'abc' }],
    ['PORT', { PORT: '70000' }],
    ['DATABASE_URL', { DATABASE_URL: 'postgres://db/x' }],
    ['PUBLIC_URL', { PUBLIC_URL: 'not a url' }],
    ['SWITCHYARD_ADMIN_EMAIL', { SWITCHYARD_ADMIN_EMAIL: 'nobody' }],
    ['SWITCHYARD_ADMIN_PASSWORD', { SWITCHYARD_ADMIN_PASSWORD: 'short' }],
    ['SWITCHYARD_BOOTSTRAP_TOKEN', { SWITCHYARD_BOOTSTRAP_TOKEN: 'tiny' }],
    ['SWITCHYARD_TIME_ZONE', { SWITCHYARD_TIME_ZONE: 'Mars/Olympus' }],
  ])('names the bad variable %s', (variable, env) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(new RegExp(`${variable}: `));
  });
});
