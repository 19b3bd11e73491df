import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { stringify } from 'yaml';
import { buildAsyncApiDocument } from '../src/asyncapi';

/** `pnpm asyncapi` writes docs/asyncapi.yaml; `--check` fails when the committed file is out of date (CI). */
const file = path.resolve(__dirname, '../../../docs/asyncapi.yaml');
const content = `# Generated from packages/events/src/catalogue.ts by \`pnpm asyncapi\`. Do not edit.\n${stringify(buildAsyncApiDocument(), { lineWidth: 0 })}`;
if (process.argv.includes('--check')) {
  let committed = '';
  try {
    committed = readFileSync(file, 'utf8');
  } catch {
    committed = '';
  }
  if (committed !== content) {
    console.error('docs/asyncapi.yaml differs from the event catalogue: run pnpm asyncapi and commit');
    process.exit(1);
  }
  console.log('docs/asyncapi.yaml is up to date');
} else {
  writeFileSync(file, content);
  console.log('wrote docs/asyncapi.yaml');
}
