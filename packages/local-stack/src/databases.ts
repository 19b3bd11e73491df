import { Client } from 'pg';
import { databaseUrl } from '@taoyuan/testing/postgres';

/** One database per service on the same server: services never share tables, only a PostgreSQL process here. */
export async function dropDatabases(serverUrl: string, names: string[], prefix: string): Promise<void> {
  const client = new Client({ connectionString: serverUrl });
  await client.connect();
  try {
    for (const name of names) await client.query(`DROP DATABASE IF EXISTS "${prefix}_${name}" WITH (FORCE)`);
  } finally {
    await client.end();
  }
}

export async function ensureDatabases(
  serverUrl: string,
  names: string[],
  prefix = 'taoyuan',
): Promise<Record<string, string>> {
  const client = new Client({ connectionString: serverUrl });
  await client.connect();
  try {
    const urls: Record<string, string> = {};
    for (const name of names) {
      const database = `${prefix}_${name}`;
      const exists = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
      if (exists.rowCount === 0) await client.query(`CREATE DATABASE "${database}" TEMPLATE template0 ENCODING 'UTF8'`);
      urls[name] = databaseUrl(serverUrl, database);
    }
    return urls;
  } finally {
    await client.end();
  }
}
