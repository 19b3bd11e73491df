import type { RunningHttpServer } from '@taoyuan/service-kit';
import { loadGatewayConfig } from '../src/config';
import { startGatewayForTests } from './support/start-gateway';

const APP_ORIGIN = 'https://app.taoyuan.example';
let gateway: RunningHttpServer;

beforeAll(async () => {
  gateway = await startGatewayForTests(
    {},
    { CORS_ORIGINS: `${APP_ORIGIN}, http://localhost:5173`, CORS_MAX_AGE_SECONDS: '900' },
  );
});
afterAll(async () => {
  await gateway?.stop();
});

function preflight(origin: string, requestHeaders = 'authorization,content-type,apollo-require-preflight') {
  return fetch(gateway.url, {
    method: 'OPTIONS',
    headers: {
      origin,
      'access-control-request-method': 'POST',
      'access-control-request-headers': requestHeaders,
    },
  });
}

describe('CORS at the gateway', () => {
  it('answers a preflight from a configured origin with that exact origin, credentials and a cache time', async () => {
    const response = await preflight(APP_ORIGIN);
    expect(response.status).toBe(204);
    expect(response.headers.get('access-control-allow-origin')).toBe(APP_ORIGIN);
    expect(response.headers.get('access-control-allow-credentials')).toBe('true');
    expect(response.headers.get('access-control-max-age')).toBe('900');
    const allowedHeaders = response.headers.get('access-control-allow-headers')?.split(',') ?? [];
    expect(allowedHeaders).toEqual(
      expect.arrayContaining(['authorization', 'content-type', 'apollo-require-preflight', 'x-apollo-operation-name']),
    );
    expect(response.headers.get('vary')).toMatch(/origin/i);
  });

  it('gives an origin that is not configured no CORS headers, so its browser refuses the answer', async () => {
    for (const origin of ['https://evil.example', 'https://app.taoyuan.example.evil.example', 'null']) {
      const response = await preflight(origin);
      expect(response.headers.get('access-control-allow-origin')).toBeNull();
      expect(response.headers.get('access-control-allow-credentials')).toBeNull();
    }
  });

  it('lets the configured origin read a real GraphQL answer', async () => {
    const response = await fetch(gateway.url, {
      method: 'POST',
      headers: { origin: 'http://localhost:5173', 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ __typename }' }),
    });
    expect(await response.json()).toEqual({ data: { __typename: 'Query' } });
    expect(response.headers.get('access-control-allow-origin')).toBe('http://localhost:5173');
    expect(response.headers.get('access-control-expose-headers')).toMatch(/x-request-id/);
  });

  it('refuses a configuration with a wildcard or a path', () => {
    expect(() => loadGatewayConfig({ CORS_ORIGINS: '*' })).toThrow(/CORS_ORIGINS/);
    expect(() => loadGatewayConfig({ CORS_ORIGINS: 'https://app.example/path' })).toThrow(/CORS_ORIGINS/);
  });
});
