import { createServer, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { undiciSender, mergingFetcher } from '../src/subgraph-fetcher';

/** A stand-in subgraph that counts requests and answers slowly enough for requests to overlap. */
let server: Server;
let url: string;
let received = 0;

beforeAll(async () => {
  server = createServer((req, res) => {
    received += 1;
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      setTimeout(() => {
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify({ data: { echo: body.length, as: req.headers.authorization ?? null } }));
      }, 100);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});
beforeEach(() => {
  received = 0;
});

const request = (query: string, authorization?: string) => ({
  method: 'POST',
  headers: { 'content-type': 'application/json', ...(authorization ? { authorization } : {}) },
  body: JSON.stringify({ query, variables: { id: '1' } }),
});

describe('merging identical in-flight subgraph queries', () => {
  it('sends two identical concurrent queries once, and each caller reads the whole answer', async () => {
    const fetcher = mergingFetcher();
    const query = 'query Me__identity__0 { me { id } }';
    const [first, second] = await Promise.all([
      fetcher(url, request(query, 'Bearer a.b.c')),
      fetcher(url, request(query, 'Bearer a.b.c')),
    ]);
    expect(received).toBe(1);
    expect(await first.json()).toEqual(await second.json());
    expect(fetcher.inFlight()).toBe(0);
  });

  it('sends the same query with different tokens twice', async () => {
    const fetcher = mergingFetcher();
    const query = 'query Me__identity__0 { me { id } }';
    const answers = await Promise.all([
      fetcher(url, request(query, 'Bearer a.b.c')),
      fetcher(url, request(query, 'Bearer d.e.f')),
    ]);
    expect(received).toBe(2);
    const bodies = (await Promise.all(answers.map((answer) => answer.json()))) as { data: { as: string } }[];
    expect(bodies.map((body) => body.data.as)).toEqual(['Bearer a.b.c', 'Bearer d.e.f']);
  });

  it('never merges mutations, however alike', async () => {
    const fetcher = mergingFetcher();
    const mutation = 'mutation Join__organizations__0 { joinOrganization(organizationId: "1") { id } }';
    await Promise.all([
      fetcher(url, request(mutation, 'Bearer a.b.c')),
      fetcher(url, request(mutation, 'Bearer a.b.c')),
    ]);
    expect(received).toBe(2);
  });

  it('sends a query again once the first identical one has been answered (it merges, it does not cache)', async () => {
    const fetcher = mergingFetcher();
    const query = '{ communities { id } }';
    await fetcher(url, request(query));
    await fetcher(url, request(query));
    expect(received).toBe(2);
  });
});

describe('a kept-alive connection the subgraph closes as a request goes out', () => {
  /** Answers the first request of each connection and drops the connection at the second, unanswered. */
  let closing: Server;
  let closingUrl: string;
  let answered = 0;
  beforeAll(async () => {
    closing = createServer((req, res) => {
      const socket = req.socket as Socket & { requests?: number };
      socket.requests = (socket.requests ?? 0) + 1;
      req.resume();
      req.on('end', () => {
        if (socket.requests! > 1) {
          socket.destroy();
          return;
        }
        answered += 1;
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify({ data: { ok: true } }));
      });
    });
    await new Promise<void>((resolve) => closing.listen(0, '127.0.0.1', resolve));
    closingUrl = `http://127.0.0.1:${(closing.address() as AddressInfo).port}/graphql`;
  });
  afterAll(async () => {
    closing.closeAllConnections();
    await new Promise<void>((resolve) => closing.close(() => resolve()));
  });
  beforeEach(() => {
    answered = 0;
  });
  /** Long enough for the answered connection to rest in the pool, where the next request reuses it. */
  const idle = () => new Promise((resolve) => setTimeout(resolve, 20));

  it('sends a query again on a fresh connection, and the caller gets its answer', async () => {
    const send = undiciSender();
    await send(closingUrl, request('{ communities { id } }'));
    await idle();
    const again = await send(closingUrl, request('{ communities { id } }'));
    expect(again.status).toBe(200);
    expect(JSON.parse(again.body)).toEqual({ data: { ok: true } });
    expect(answered).toBe(2);
  });

  it('never sends a mutation twice: its caller gets the error', async () => {
    const send = undiciSender();
    const mutation = 'mutation { markAllNotificationsRead }';
    await send(closingUrl, request(mutation));
    await idle();
    await expect(send(closingUrl, request(mutation))).rejects.toMatchObject({ code: 'UND_ERR_SOCKET' });
    expect(answered).toBe(1);
  });
});
