import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { composeServices } from '@apollo/composition';
import { parse } from 'graphql';
import { defaultSubgraphUrl, SUBGRAPHS } from './subgraphs';

const root = path.resolve(__dirname, '../..');
export const SUPERGRAPH_FILE = path.join(root, 'gateway/supergraph.graphql');

/**
 * `pnpm compose`: prints each subgraph's SDL (each in its own process: type-graphql keeps global metadata), writes it
 * to services/<name>/schema.graphql, composes the supergraph and writes gateway/supergraph.graphql.
 * `--check` writes nothing and fails when a committed file differs from a fresh composition (CI's drift check).
 */
function main() {
  const check = process.argv.includes('--check');
  const files = new Map<string, string>();
  const services = SUBGRAPHS.map((entry) => {
    const serviceDir = path.join(root, 'services', entry.dir);
    const sdl = execFileSync(process.execPath, ['-r', '@swc-node/register', 'src/print-schema.ts'], {
      cwd: serviceDir,
      encoding: 'utf8',
    });
    files.set(path.join(serviceDir, 'schema.graphql'), sdl);
    return { name: entry.name, url: defaultSubgraphUrl(entry), typeDefs: parse(sdl) };
  });
  const result = composeServices(services);
  if (result.errors) {
    console.error(`Composition failed:\n${result.errors.map((error) => `  - ${error.message}`).join('\n')}`);
    process.exit(1);
  }
  for (const hint of result.hints ?? []) console.warn(`hint: ${hint.definition.code}: ${hint.message}`);
  files.set(SUPERGRAPH_FILE, result.supergraphSdl);

  const drifted: string[] = [];
  for (const [file, content] of files) {
    let committed = '';
    try {
      committed = readFileSync(file, 'utf8');
    } catch {
      committed = '';
    }
    if (committed === content) continue;
    if (check) drifted.push(path.relative(root, file));
    else writeFileSync(file, content);
  }
  if (drifted.length > 0) {
    console.error(
      `Supergraph drift: these files differ from a fresh composition (run pnpm compose and commit):\n  ${drifted.join('\n  ')}`,
    );
    process.exit(1);
  }
  console.log(
    check
      ? 'supergraph is up to date'
      : `composed ${services.length} subgraph(s) into ${path.relative(root, SUPERGRAPH_FILE)}`,
  );
}

main();
