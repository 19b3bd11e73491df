#!/usr/bin/env node
/**
 * pnpm build: compiles every workspace's src/ to dist/ (CommonJS + source maps) with swc. swc, not tsc, because it
 * compiles the whole monorepo in seconds on two cores; type checking stays `pnpm typecheck`. The options match the
 * development loader and Jest (legacy decorators with metadata, class names kept) so the build runs the code tested.
 */
import { transformFile } from '@swc/core';
import { cp, mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const workspaceParents = ['services', 'packages', 'examples'];

const swcOptions = {
  jsc: {
    target: 'es2022',
    parser: { syntax: 'typescript', decorators: true },
    transform: { legacyDecorator: true, decoratorMetadata: true, useDefineForClassFields: false },
    keepClassNames: true,
  },
  module: { type: 'commonjs' },
  sourceMaps: true,
  swcrc: false,
  configFile: false,
};

async function workspaces() {
  const found = [path.join(root, 'gateway')];
  for (const parent of workspaceParents) {
    for (const entry of await readdir(path.join(root, parent), { withFileTypes: true })) {
      if (entry.isDirectory()) found.push(path.join(root, parent, entry.name));
    }
  }
  return found;
}

async function filesUnder(dir) {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true }).catch(() => []);
  return entries.filter((entry) => entry.isFile()).map((entry) => path.join(entry.parentPath, entry.name));
}

async function compile(source, srcDir, distDir) {
  const relative = path.relative(srcDir, source);
  const target = path.join(distDir, relative);
  await mkdir(path.dirname(target), { recursive: true });
  if (!source.endsWith('.ts') || source.endsWith('.d.ts')) {
    await cp(source, target);
    return;
  }
  const jsFile = target.replace(/\.ts$/, '.js');
  const output = await transformFile(source, {
    ...swcOptions,
    filename: source,
    sourceFileName: path.relative(path.dirname(jsFile), source),
  });
  await writeFile(jsFile, `${output.code}\n//# sourceMappingURL=${path.basename(jsFile)}.map\n`);
  if (output.map) await writeFile(`${jsFile}.map`, output.map);
}

/** Runs `work` over `items` with at most `limit` in flight (swc already uses threads; this bounds open files). */
async function eachLimited(items, limit, work) {
  let next = 0;
  const runners = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) await work(items[next++]);
  });
  await Promise.all(runners);
}

const started = process.hrtime.bigint();
const jobs = [];
for (const workspace of await workspaces()) {
  const srcDir = path.join(workspace, 'src');
  const distDir = path.join(workspace, 'dist');
  await rm(distDir, { recursive: true, force: true });
  for (const file of await filesUnder(srcDir)) jobs.push({ file, srcDir, distDir });
}
await eachLimited(jobs, Math.max(4, os.availableParallelism() * 4), (job) =>
  compile(job.file, job.srcDir, job.distDir),
);
// GraphiQL, React and Monaco bundled once here, so the deployed gateway serves files and carries neither them nor
// esbuild (they are development dependencies); unchanged sources reuse the development cache.
const { writeGraphiqlBundle } = createRequire(import.meta.url)(path.join(root, 'gateway/dist/graphiql.js'));
const graphiqlFiles = await writeGraphiqlBundle(path.join(root, 'gateway/dist/graphiql'));
const seconds = Number(process.hrtime.bigint() - started) / 1e9;
console.log(
  `pnpm build: ${jobs.length} files compiled to dist/, GraphiQL bundled (${graphiqlFiles.length} files) in ${seconds.toFixed(1)} s`,
);
