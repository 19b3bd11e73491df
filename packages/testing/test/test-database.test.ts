import { Client } from 'pg';
import { createTestDatabase } from '../src/test-database';

describe('test databases', () => {
  it('creates an isolated UTF-8 database that round-trips Chinese text and drops it again', async () => {
    const db = await createTestDatabase('testing');
    const client = new Client({ connectionString: db.url });
    await client.connect();
    const { rows } = await client.query<{ name: string }>('SELECT $1::text AS name', ['桃源居社区']);
    await client.end();
    expect(rows[0]?.name).toBe('桃源居社区');
    await db.drop();
    const again = new Client({ connectionString: db.url });
    await expect(again.connect()).rejects.toThrow(/does not exist/);
  });
});
