import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const root = path.resolve(__dirname, '..');
const GENERATED_DIR = path.join(root, 'web/gql');

describe('the example client’s generated code', () => {
  it('is what pnpm codegen makes of the committed supergraph and the page’s documents (no drift)', async () => {
    // In a process of its own: the CLI loads ES modules that Jest's CommonJS registry cannot.
    const bin = path.join(path.dirname(require.resolve('@graphql-codegen/cli', { paths: [root] })), 'bin.js');
    const run = promisify(execFile)(process.execPath, [bin, '--config', 'src/codegen.ts', '--check', '--silent'], {
      cwd: root,
    });
    // Failing here: run `pnpm codegen` and commit examples/resident-web/web/gql.
    await expect(
      run.catch((error: { stdout?: string }) => Promise.reject(new Error(error.stdout))),
    ).resolves.toBeDefined();
  }, 120_000);

  it('keys every trusted document by the SHA-256 of its exact text, as the gateway checks at start', () => {
    const manifest = JSON.parse(readFileSync(path.join(GENERATED_DIR, 'persisted-documents.json'), 'utf8')) as Record<
      string,
      string
    >;
    const entries = Object.entries(manifest);
    expect(entries.map(([, document]) => /^(query|mutation) (\w+)/.exec(document)?.[2]).sort()).toEqual([
      'MarkAllNotificationsRead',
      'Notifications',
      'Opportunities',
      'Resident',
      'SignIn',
      'SignUpForShift',
    ]);
    for (const [hash, document] of entries) expect(createHash('sha256').update(document).digest('hex')).toBe(hash);
  });
});
