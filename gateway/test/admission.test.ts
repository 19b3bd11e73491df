import { createServer, get, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { RunningHttpServer } from '@taoyuan/service-kit';
import { graphqlRequest, waitFor, type GraphqlResponse } from '@taoyuan/testing';
import { startGatewayForTests } from './support/start-gateway';

/**
 * Admission control with a tiny limit. The identity subgraph is a stand-in that answers only when the test releases
 * it, so an admitted request stays in flight for as long as the test wants and the limit is reached without timing.
 */
const COMMUNITIES = `{ communities { id name } }`;
const ANSWER = JSON.stringify({ data: { communities: [{ id: 'c1', name: '桃源居社区' }] } });

let subgraph: Server;
const waiting: ServerResponse[] = [];
let queueFull: RunningHttpServer;
let queueTimeout: RunningHttpServer;

function release(): void {
  for (const res of waiting.splice(0)) res.writeHead(200, { 'content-type': 'application/json' }).end(ANSWER);
}

beforeAll(async () => {
  subgraph = createServer((req: IncomingMessage, res: ServerResponse) => {
    req.resume().on('end', () => waiting.push(res));
  });
  await new Promise<void>((resolve) => subgraph.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(subgraph.address() as AddressInfo).port}`;
  const env = { JWKS_URL: `${base}/.well-known/jwks.json`, IDENTITY_URL: `${base}/graphql` };
  queueFull = await startGatewayForTests(
    {},
    { ...env, ADMISSION_MAX_CONCURRENT: '1', ADMISSION_MAX_QUEUE: '1', ADMISSION_MAX_QUEUE_MS: '600000' },
  );
  queueTimeout = await startGatewayForTests(
    {},
    { ...env, ADMISSION_MAX_CONCURRENT: '1', ADMISSION_MAX_QUEUE: '10', ADMISSION_MAX_QUEUE_MS: '200' },
  );
});
afterAll(async () => {
  release();
  await queueFull?.stop();
  await queueTimeout?.stop();
  subgraph?.closeAllConnections();
  await new Promise((resolve) => subgraph?.close(resolve));
});

interface Admission {
  status: string;
  running: number;
  queued: number;
  shed: { queue_full: number; queue_timeout: number };
}

function admissionOf(gateway: RunningHttpServer): Promise<Admission> {
  return new Promise((resolve, reject) => {
    get(gateway.url.replace(/\/graphql$/, '/health/details'), { agent: false }, (response) => {
      let text = '';
      response.setEncoding('utf8').on('data', (chunk: string) => (text += chunk));
      response.on('end', () => {
        resolve((JSON.parse(text) as { components: { admission: Admission } }).components.admission);
      });
    }).on('error', reject);
  });
}

/** Sends the query and waits until the gateway has admitted it and asked the subgraph, which holds the answer. */
async function admitOneAndHold(gateway: RunningHttpServer): Promise<{ answer: Promise<GraphqlResponse> }> {
  const answer = graphqlRequest(gateway.url, COMMUNITIES);
  await waitFor(() => waiting.length === 1, 'the admitted request to reach the subgraph');
  // Wrapped: an async function returning the promise itself would wait for the answer the subgraph holds back.
  return { answer };
}

function expectRefused(response: GraphqlResponse): void {
  expect(response.status).toBe(503);
  expect(response.headers.get('retry-after')).toBe('1');
  expect(response.data).toBeUndefined();
  expect(response.errors?.[0]?.extensions).toMatchObject({
    code: 'SERVICE_UNAVAILABLE',
    service: 'gateway',
    retryable: true,
    retryAfterSeconds: 1,
  });
}

function expectAnswered(response: GraphqlResponse): void {
  expect(response.status).toBe(200);
  expect(response.errors).toBeUndefined();
  expect(response.data).toEqual({ communities: [{ id: 'c1', name: '桃源居社区' }] });
}

describe('a gateway at its admission limit', () => {
  it('refuses what the queue cannot hold at once with a retryable 503, and completes what it admitted', async () => {
    const running = await admitOneAndHold(queueFull);
    const queued = graphqlRequest(queueFull.url, COMMUNITIES);
    await waitFor(async () => (await admissionOf(queueFull)).queued === 1, 'the second request to wait in the queue');

    // Answered while the first is still held at the subgraph: refused at once, not queued behind it.
    expectRefused(await graphqlRequest(queueFull.url, COMMUNITIES));
    expect(await admissionOf(queueFull)).toMatchObject({
      status: 'degraded',
      running: 1,
      queued: 1,
      shed: { queue_full: 1, queue_timeout: 0 },
    });

    release();
    expectAnswered(await running.answer);
    // The queued one runs only now that the first left its slot, and reaches the subgraph in turn.
    await waitFor(() => waiting.length === 1, 'the queued request to reach the subgraph');
    release();
    expectAnswered(await queued);
    expect(await admissionOf(queueFull)).toMatchObject({ status: 'up', running: 0, queued: 0 });
  });

  it('refuses a request that waited too long for a slot, while the admitted one still completes', async () => {
    const running = await admitOneAndHold(queueTimeout);

    const refused = await graphqlRequest(queueTimeout.url, COMMUNITIES, {}, { headers: { 'accept-language': 'zh' } });
    expectRefused(refused);
    expect(refused.errors?.[0]?.message).toBe('服务暂时不可用，请稍后再试');
    expect((await admissionOf(queueTimeout)).shed.queue_timeout).toBe(1);

    release();
    expectAnswered(await running.answer);
  });
});
