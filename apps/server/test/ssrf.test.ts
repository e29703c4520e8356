import { describe, expect, it } from 'vitest';
import { checkOutboundUrl, isBlockedAddress, OutboundRefusedError } from '../src/ssrf';

const publicResolver = (): Promise<readonly string[]> => Promise.resolve(['93.184.215.14']);

describe('isBlockedAddress', () => {
  it.each([
    '127.0.0.1',
    '127.255.0.9',
    '10.1.2.3',
    '172.16.0.1',
    '172.31.255.255',
    '192.168.1.1',
    '169.254.169.254',
    '100.64.0.1',
    '0.0.0.0',
    '::1',
    '::',
    'fe80::1',
    'fd12:3456::1',
    '::ffff:127.0.0.1',
    '::ffff:169.254.169.254',
    'not-an-ip',
  ])('refuses %s', (address) => {
    expect(isBlockedAddress(address)).toBe(true);
  });

  it.each(['93.184.215.14', '8.8.8.8', '172.32.0.1', '2606:4700::1111'])('allows %s', (address) => {
    expect(isBlockedAddress(address)).toBe(false);
  });
});

describe('checkOutboundUrl', () => {
  it.each([
    'http://127.0.0.1:8080/hook',
    'http://localhost/hook',
    'http://api.localhost/hook',
    'http://169.254.169.254/latest/meta-data/',
    'http://metadata.google.internal/computeMetadata/v1/',
    'http://[::1]/hook',
    'http://10.0.0.8/hook',
    'ftp://example.com/file',
    'http://user:pass@example.com/',
    'not a url',
  ])('refuses %s', async (url) => {
    await expect(checkOutboundUrl(url, [], publicResolver)).rejects.toThrow(OutboundRefusedError);
  });

  it('refuses a public name that resolves to a private address', async () => {
    await expect(
      checkOutboundUrl('https://evil.example.com/', [], () => Promise.resolve(['10.0.0.1'])),
    ).rejects.toThrow(/resolves to 10\.0\.0\.1/);
  });

  it('allows public hosts and allow-listed private ones', async () => {
    await expect(
      checkOutboundUrl('https://example.com/x', [], publicResolver),
    ).resolves.toBeInstanceOf(URL);
    await expect(checkOutboundUrl('http://127.0.0.1:9/x', ['127.0.0.1'])).resolves.toBeInstanceOf(
      URL,
    );
    await expect(
      checkOutboundUrl('http://hooks.internal/x', [], () => Promise.resolve(['10.0.0.5'])),
    ).rejects.toThrow(OutboundRefusedError);
    await expect(
      checkOutboundUrl('http://hooks.internal/x', ['10.0.0.5'], () =>
        Promise.resolve(['10.0.0.5']),
      ),
    ).resolves.toBeInstanceOf(URL);
  });
});
