import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startEmbeddedPostgres, type RunningPostgres } from './embedded-postgres';

declare global {
  var __taoyuanTestPostgres: RunningPostgres | undefined;
}

/**
 * One PostgreSQL for the whole Jest run: the server named by DATABASE_URL (CI, the machine's own server), or an
 * embedded one started here. Workers read TAOYUAN_TEST_ADMIN_URL and create a database per test file.
 */
export default async function globalSetup(): Promise<void> {
  if (process.env.DATABASE_URL) {
    process.env.TAOYUAN_TEST_ADMIN_URL = process.env.DATABASE_URL;
    return;
  }
  const dataDir = path.join(mkdtempSync(path.join(tmpdir(), 'taoyuan-test-pg-')), 'data');
  const postgres = await startEmbeddedPostgres({
    dataDir,
    persistent: false,
    serverFlags: [
      '-c',
      'fsync=off',
      '-c',
      'synchronous_commit=off',
      '-c',
      'full_page_writes=off',
      '-c',
      'max_connections=300',
    ],
  });
  globalThis.__taoyuanTestPostgres = postgres;
  process.env.TAOYUAN_TEST_ADMIN_URL = postgres.adminUrl;
}
