import { Client } from 'pg';
import { startTcpProxy, type TcpProxy } from '../src/tcp-proxy';
import { createTestDatabase, type TestDatabase } from '../src/test-database';
import { waitFor } from '../src/wait';

let database: TestDatabase;
let proxy: TcpProxy;

beforeAll(async () => {
  database = await createTestDatabase('tcp_proxy');
  const target = new URL(database.url);
  proxy = await startTcpProxy({ targetHost: target.hostname, targetPort: Number(target.port || 5432) });
});
afterAll(async () => {
  await proxy?.close();
  await database?.drop();
});

async function connected(): Promise<Client> {
  const client = new Client({ connectionString: proxy.rewrite(database.url) });
  client.on('error', () => undefined);
  await client.connect();
  return client;
}

const answer = async (client: Client) => (await client.query<{ n: number }>('SELECT 1 AS n')).rows[0]?.n;

describe('TCP fault-injection proxy', () => {
  it('cuts PostgreSQL away under an open connection, refuses new ones, and lets them through after restore', async () => {
    const open = await connected();
    expect(await answer(open)).toBe(1);

    await proxy.cut('refuse');
    await expect(answer(open)).rejects.toThrow(/Connection terminated|not queryable|ECONNRESET/);
    await expect(connected()).rejects.toMatchObject({ code: 'ECONNREFUSED' });

    await proxy.restore();
    const fresh = await connected();
    expect(await answer(fresh)).toBe(1);
    await fresh.end();
  });

  it('holds new connections while cut in hold mode and forwards them on restore', async () => {
    await proxy.cut('hold');
    let settled = false;
    const pending = connected().finally(() => {
      settled = true;
    });
    await waitFor(() => proxy.heldConnections === 1, 'the held connection');
    expect(settled).toBe(false);

    await proxy.restore();
    const client = await pending;
    expect(await answer(client)).toBe(1);
    expect(proxy.heldConnections).toBe(0);
    await client.end();
  });
});
