import { clientAddressOf, parseTrustedProxies } from '../src/domain/client-address';
import { delayAfter } from '../src/domain/login-throttle';
import { PasswordHasher } from '../src/domain/password-hasher';
import { maskPhone, normaliseCode } from '../src/domain/user-input';

const codeOf = (work: () => unknown) => {
  try {
    work();
  } catch (error) {
    return (error as { extensions?: Record<string, unknown> }).extensions;
  }
  return undefined;
};

describe('growing sign-in delays', () => {
  const policy = { freeFailures: 5, baseSeconds: 1, maxSeconds: 900, memorySeconds: 86_400, knownAddressSeconds: 0 };

  it('costs nothing for the first failures, then doubles from the base up to the cap', () => {
    expect([0, 1, 4].map((failures) => delayAfter(failures, policy))).toEqual([0, 0, 0]);
    expect([5, 6, 7, 8, 14].map((failures) => delayAfter(failures, policy))).toEqual([1, 2, 4, 8, 512]);
    expect(delayAfter(15, policy)).toBe(900);
    expect(delayAfter(10_000, policy)).toBe(900);
  });
});

describe('client address', () => {
  const proxies = parseTrustedProxies('10.0.0.0/8, 192.168.1.7 ::1');

  it('is the TCP peer when the peer is not a trusted proxy, whatever X-Forwarded-For claims', () => {
    expect(clientAddressOf('203.0.113.9', '1.2.3.4', proxies)).toBe('203.0.113.9');
    expect(clientAddressOf('::ffff:203.0.113.9', undefined, proxies)).toBe('203.0.113.9');
  });

  it('is the right-most untrusted hop of X-Forwarded-For when a trusted proxy forwards', () => {
    expect(clientAddressOf('10.1.2.3', '198.51.100.4', proxies)).toBe('198.51.100.4');
    // The client wrote "1.1.1.1" itself; our proxies added 198.51.100.4 and 10.9.9.9.
    expect(clientAddressOf('::ffff:10.1.2.3', '1.1.1.1, 198.51.100.4, 10.9.9.9', proxies)).toBe('198.51.100.4');
    expect(clientAddressOf('::1', 'garbage, 198.51.100.4', proxies)).toBe('198.51.100.4');
    expect(clientAddressOf('192.168.1.7', 'not-an-ip', proxies)).toBe('192.168.1.7');
  });

  it('trusts nobody by default and refuses malformed proxy lists', () => {
    expect(clientAddressOf('127.0.0.1', '198.51.100.4', parseTrustedProxies(undefined))).toBe('127.0.0.1');
    expect(() => parseTrustedProxies('10.0.0.0/33')).toThrow(/prefix/);
    expect(() => parseTrustedProxies('gateway.local')).toThrow(/not an IP/);
  });
});

describe('bounded password hashing', () => {
  it('runs at most `concurrency` checks at once and refuses beyond the queue with TOO_MANY_REQUESTS', async () => {
    const hasher = new PasswordHasher({ concurrency: 2, queue: 3 });
    const stored = await hasher.hash('correct horse battery');
    const slots = Array.from({ length: 5 }, () => hasher.reserve());
    expect(codeOf(() => hasher.reserve())).toMatchObject({ code: 'TOO_MANY_REQUESTS', retryAfterSeconds: 1 });
    let running = 0;
    let most = 0;
    const checks = slots.map((slot) =>
      slot.run(async () => {
        running += 1;
        most = Math.max(most, running);
        await new Promise((resolve) => setImmediate(resolve));
        running -= 1;
        return true;
      }),
    );
    await Promise.all(checks);
    expect(most).toBe(2);
    // Every place was given back: a full line again fits.
    expect(await hasher.verify(stored, 'correct horse battery')).toBe(true);
    const again = Array.from({ length: 5 }, () => hasher.reserve());
    again.forEach((slot) => slot.release());
    expect(hasher.verifications).toBe(1);
  });
});

describe('phone masking and codes', () => {
  it('keeps only the first three and the last two digits', () => {
    expect(maskPhone('13812345601')).toBe('138******01');
  });

  it('accepts a six-digit code with spaces, nothing else', () => {
    expect(normaliseCode(' 123 456 ', 6)).toBe('123456');
    expect(codeOf(() => normaliseCode('12345', 6))).toEqual({ code: 'BAD_USER_INPUT', field: 'code' });
    expect(codeOf(() => normaliseCode('12345a', 6))).toEqual({ code: 'BAD_USER_INPUT', field: 'code' });
  });
});
