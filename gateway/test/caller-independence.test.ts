import { readFileSync } from 'node:fs';
import { createServer, request as httpRequest, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { TAOYUANJU } from '@taoyuan/demo-data';
import type { RunningHttpServer } from '@taoyuan/service-kit';
import { builders, graphqlData } from '@taoyuan/testing';
import { startIdentityForTests, type IdentityUnderTest } from '@taoyuan/identity/testing';
import { CallerIndependence } from '../src/caller-independence';
import { startGatewayForTests } from './support/start-gateway';

const independence = new CallerIndependence(readFileSync(path.resolve(__dirname, '../supergraph.graphql'), 'utf8'));

describe('which subgraph fetches go without the caller’s token', () => {
  it.each([
    ['the community list', '{communities{id name city}}'],
    ['a community by id, with its grids', 'query($id:ID!){community(id:$id){name grids{id name leader{displayName}}}}'],
    [
      'users read by id for another subgraph',
      'query($representations:[_Any!]!){_entities(representations:$representations){...on User{__typename id displayName}}}',
    ],
    ['through a named fragment', 'query{communities{...C}} fragment C on Community{id name}'],
  ])('%s: yes', (_what, operation) => {
    expect(independence.test(operation)).toBe(true);
  });

  it.each([
    ['the caller’s own record', '{me{id displayName}}'],
    ['public fields beside the caller’s own', '{communities{id} me{id}}'],
    [
      'a field that differs by caller (phone is masked for others)',
      'query($representations:[_Any!]!){_entities(representations:$representations){...on User{displayName phone}}}',
    ],
    [
      'an entity whose lookup depends on the caller (pending organizations are for staff)',
      'query($representations:[_Any!]!){_entities(representations:$representations){...on Organization{name}}}',
    ],
    ['a field of the same type that is not marked (funds are for residents)', '{communities{id funds{id}}}'],
    ['a mutation', 'mutation{logout}'],
    ['an unparsable operation', '{communities{'],
  ])('%s: no', (_what, operation) => {
    expect(independence.test(operation)).toBe(false);
  });
});

/**
 * Through a real gateway and identity subgraph, with a recording proxy in front of identity that holds every request
 * 150 ms, so that concurrent fetches overlap.
 */
describe('through the gateway', () => {
  let identity: IdentityUnderTest;
  let gateway: RunningHttpServer;
  let proxy: Server;
  const seen: { body: string; headers: IncomingHttpHeaders }[] = [];

  beforeAll(async () => {
    identity = await startIdentityForTests();
    const target = new URL(identity.url);
    proxy = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const body = Buffer.concat(chunks);
        seen.push({ body: body.toString('utf8'), headers: req.headers });
        setTimeout(() => {
          const forwarded = httpRequest(
            { hostname: target.hostname, port: target.port, path: req.url, method: req.method, headers: req.headers },
            (answer) => {
              res.writeHead(answer.statusCode ?? 502, answer.headers);
              answer.pipe(res);
            },
          );
          forwarded.end(body);
        }, 150);
      });
    });
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
    const proxyUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}${target.pathname}`;
    gateway = await startGatewayForTests({ identity }, { IDENTITY_URL: proxyUrl });
  });
  afterAll(async () => {
    await gateway?.stop();
    proxy?.closeAllConnections();
    await new Promise<void>((resolve) => (proxy ? proxy.close(() => resolve()) : resolve()));
    await identity?.stop();
  });

  async function twoResidents(): Promise<string[]> {
    const build = builders(gateway.url);
    const tokens: string[] = [];
    for (const displayName of ['欧阳明', '上官燕']) {
      const resident = await build.newResident({ communityId: TAOYUANJU.id, displayName });
      tokens.push((await build.login(resident.phone, resident.password)).accessToken);
    }
    return tokens;
  }

  const fetchesOf = (field: string) => seen.filter((request) => request.body.includes(field));

  it('sends one token-less fetch for two residents asking the community list at once; both get it', async () => {
    const tokens = await twoResidents();
    seen.length = 0;
    const query = '{ communities { id name city } }';
    const answers = await Promise.all(
      tokens.map((token) => graphqlData<{ communities: { name: string }[] }>(gateway.url, query, {}, { token })),
    );
    expect(answers[0]).toEqual(answers[1]);
    expect(answers[0].communities.map((community) => community.name)).toContain('桃源居社区');
    const fetches = fetchesOf('communities');
    expect(fetches).toHaveLength(1);
    expect(fetches[0].headers.authorization).toBeUndefined();
  });

  it('sends each resident’s own fetch, with the resident’s token, for me', async () => {
    const tokens = await twoResidents();
    seen.length = 0;
    const answers = await Promise.all(
      tokens.map((token) =>
        graphqlData<{ me: { displayName: string } }>(gateway.url, '{ me { displayName } }', {}, { token }),
      ),
    );
    expect(answers.map((answer) => answer.me.displayName)).toEqual(['欧阳明', '上官燕']);
    const fetches = fetchesOf('me');
    expect(fetches).toHaveLength(2);
    expect(fetches.map((fetch) => fetch.headers.authorization).sort()).toEqual(
      tokens.map((token) => `Bearer ${token}`).sort(),
    );
  });

  it('keeps the token on a fetch that mixes the community list with the caller’s own record', async () => {
    const [token] = await twoResidents();
    seen.length = 0;
    const data = await graphqlData<{ me: { displayName: string } }>(
      gateway.url,
      '{ communities { name } me { displayName } }',
      {},
      { token },
    );
    expect(data.me.displayName).toBe('欧阳明');
    const fetches = fetchesOf('communities');
    expect(fetches).toHaveLength(1);
    expect(fetches[0].headers.authorization).toBe(`Bearer ${token}`);
  });
});
