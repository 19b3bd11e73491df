import { AddressPolicy } from '../src/domain/address-policy';
import { checkUrlShape, UnsafeUrlError } from '../src/domain/webhook-sender';

describe('which addresses webhooks may reach', () => {
  const strict = new AddressPolicy('');

  it.each([
    '127.0.0.1',
    '127.10.0.1',
    '10.0.0.1',
    '172.16.5.4',
    '192.168.1.1',
    '169.254.169.254',
    '100.64.0.1',
    '0.0.0.0',
    '::',
    '::1',
    'fe80::1',
    'fd00::1',
    '::ffff:127.0.0.1',
    '::ffff:169.254.169.254',
    '::ffff:a9fe:a9fe',
    '224.0.0.1',
  ])('refuses %s', (address) => {
    expect(strict.addressAllowed(address)).toBe(false);
  });

  it.each(['93.184.215.14', '1.1.1.1', '2606:4700:4700::1111'])('allows the public address %s', (address) => {
    expect(strict.addressAllowed(address)).toBe(true);
  });

  it('lets an operator allow an address, a range or a host name', () => {
    const local = new AddressPolicy('127.0.0.1, 10.1.0.0/16, hooks.internal');
    expect(local.addressAllowed('127.0.0.1')).toBe(true);
    expect(local.addressAllowed('127.0.0.2')).toBe(false);
    expect(local.addressAllowed('10.1.2.3')).toBe(true);
    expect(local.addressAllowed('10.2.0.1')).toBe(false);
    expect(local.hostAllowed('HOOKS.internal')).toBe(true);
  });

  it.each([
    'ftp://example.org/hook',
    'file:///etc/passwd',
    'gopher://example.org',
    'http://user:pass@example.org/',
    'http://169.254.169.254/latest/meta-data/',
    'http://[::ffff:169.254.169.254]/',
    'http://10.0.0.1/',
    'not a url',
  ])('refuses the URL %s before any connection', (url) => {
    expect(() => checkUrlShape(url, strict)).toThrow(UnsafeUrlError);
  });
});
