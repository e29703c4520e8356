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
    expect(config).toMatchObject({
      smtpPort: 2525,
      smtpHost: '0.0.0.0',
      smtpOutUrl: undefined,
      supportAddress: 'support@localhost',
      smtpMaxMessageBytes: 10 * 1024 * 1024,
    });
  });

  it('reads the SMTP settings; SMTP_PORT=off disables the intake, 0 picks a free port', () => {
    expect(
      loadConfig({
        HOST: '127.0.0.1',
        SMTP_PORT: '0',
        SMTP_OUT_URL: 'smtps://mailer:s3cret@smtp.example.com:465',
        SMTP_SUPPORT_ADDRESS: 'Help@Support.Example.com',
        SMTP_MAX_MESSAGE_SIZE: '2048',
      }),
    ).toMatchObject({
      smtpPort: 0,
      smtpHost: '127.0.0.1',
      smtpOutUrl: 'smtps://mailer:s3cret@smtp.example.com:465',
      supportAddress: 'help@support.example.com',
      smtpMaxMessageBytes: 2048,
    });
    expect(loadConfig({ SMTP_PORT: 'off' }).smtpPort).toBeNull();
    expect(loadConfig({ SMTP_PORT: 'OFF', SMTP_HOST: '10.0.0.2' })).toMatchObject({
      smtpPort: null,
      smtpHost: '10.0.0.2',
    });
    expect(loadConfig({ SMTP_PORT: '' }).smtpPort).toBe(2525);
    expect(loadConfig({}).templatesDir).toBeUndefined();
    expect(loadConfig({ SWITCHYARD_TEMPLATES_DIR: '/srv/templates/' }).templatesDir).toBe(
      '/srv/templates',
    );
  });

  it('does not echo the outbound SMTP password when naming a bad variable', () => {
    expect(() => loadConfig({ SMTP_OUT_URL: 'http://user:hunter2-secret@mail.example' })).toThrow(
      /SMTP_OUT_URL: /,
    );
    expect(() =>
      loadConfig({ SMTP_OUT_URL: 'http://user:hunter2-secret@mail.example' }),
    ).not.toThrow(/hunter2/);
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
    ['SMTP_PORT', { SMTP_PORT: 'twenty-five' }],
    ['SMTP_PORT', { SMTP_PORT: '65536' }],
    ['SMTP_PORT', { SMTP_PORT: '-1' }],
    ['SMTP_OUT_URL', { SMTP_OUT_URL: 'http://mail.example.com' }],
    ['SMTP_OUT_URL', { SMTP_OUT_URL: 'smtp://' }],
    ['SMTP_OUT_URL', { SMTP_OUT_URL: 'mail.example.com:587' }],
    ['SMTP_SUPPORT_ADDRESS', { SMTP_SUPPORT_ADDRESS: 'Support <support@example.com>' }],
    ['SMTP_SUPPORT_ADDRESS', { SMTP_SUPPORT_ADDRESS: 'support' }],
    ['SMTP_MAX_MESSAGE_SIZE', { SMTP_MAX_MESSAGE_SIZE: '100' }],
    ['SMTP_MAX_MESSAGE_SIZE', { SMTP_MAX_MESSAGE_SIZE: 'lots' }],
  ])('names the bad variable %s', (variable, env) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(new RegExp(`${variable}: `));
  });
});
