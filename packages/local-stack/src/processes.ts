import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

export interface ManagedProcess {
  name: string;
  child: ChildProcess;
  logFile: string;
  exited: Promise<number | null>;
}

/**
 * `TAOYUAN_RUN_FROM=build` (`pnpm start`, the end-to-end tests, the benchmarks) runs the compiled entries of
 * `pnpm build` as production does; otherwise (`pnpm start:dev`) the TypeScript sources run through the swc loader.
 */
export function runsFromBuild(env: NodeJS.ProcessEnv = process.env): boolean {
  return env.TAOYUAN_RUN_FROM === 'build';
}

/** The Node arguments that run `entry` (a `src/*.ts` path): from the build or through the development loader. */
export function nodeArguments(entry: string, fromBuild: boolean): string[] {
  if (!fromBuild) return ['-r', '@swc-node/register', entry];
  const compiled = entry.replace(/^src\//, 'dist/').replace(/\.ts$/, '.js');
  // The `taoyuan-build` condition resolves workspace packages to their dist/ (see each package.json's exports).
  // No --enable-source-maps: Node 20 then reads the map of every module it loads, node_modules' too, which made the
  // whole stack start 2 s slower on 2 cores. NODE_OPTIONS=--enable-source-maps turns it on where traces must name
  // TypeScript lines.
  return ['--conditions=taoyuan-build', compiled];
}

/** Runs an entry point in its own Node process (as in production), its output in .data/logs/<name>.log. */
export function startProcess(
  name: string,
  cwd: string,
  entry: string,
  env: NodeJS.ProcessEnv,
  logDir: string,
  echo: boolean,
): ManagedProcess {
  mkdirSync(logDir, { recursive: true });
  const logFile = path.join(logDir, `${name}.log`);
  const log = createWriteStream(logFile, { flags: 'a' });
  // TAOYUAN_CPU_PROF_DIR=<dir>: every process writes <dir>/<name>.cpuprofile when it stops (Chrome DevTools opens it).
  const profile = env.TAOYUAN_CPU_PROF_DIR
    ? ['--cpu-prof', `--cpu-prof-dir=${env.TAOYUAN_CPU_PROF_DIR}`, `--cpu-prof-name=${name}.cpuprofile`]
    : [];
  // TAOYUAN_NODE_FLAGS="--max-semi-space-size=32 …": extra Node flags for every process, for experiments.
  const experiment = env.TAOYUAN_NODE_FLAGS?.split(/\s+/).filter(Boolean) ?? [];
  const child = spawn(process.execPath, [...experiment, ...profile, ...nodeArguments(entry, runsFromBuild(env))], {
    cwd,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  for (const stream of [child.stdout, child.stderr]) {
    stream?.pipe(log, { end: false });
    if (echo) stream?.on('data', (chunk: Buffer) => process.stdout.write(`[${name}] ${chunk.toString()}`));
  }
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { name, child, logFile, exited };
}

export function logTail(file: string, lines = 20): string {
  try {
    return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

/** Polls /ready until it answers 200, the process dies, or time runs out. */
export async function waitUntilReady(processInfo: ManagedProcess, readyUrl: string, timeoutMs = 90_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let exitCode: number | null | undefined;
  void processInfo.exited.then((code) => {
    exitCode = code;
  });
  while (Date.now() < deadline) {
    if (exitCode !== undefined)
      throw new Error(`${processInfo.name} exited (code ${exitCode}) while starting:\n${logTail(processInfo.logFile)}`);
    try {
      const response = await fetch(readyUrl);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`${processInfo.name} was not ready after ${timeoutMs / 1000} s:\n${logTail(processInfo.logFile)}`);
}

/** SIGTERM, then SIGKILL for a process that does not stop within the grace period. */
export async function stopProcess(processInfo: ManagedProcess, graceMs = 15_000): Promise<void> {
  if (processInfo.child.exitCode !== null || processInfo.child.signalCode !== null) return;
  processInfo.child.kill('SIGTERM');
  const timer = setTimeout(() => processInfo.child.kill('SIGKILL'), graceMs);
  await processInfo.exited;
  clearTimeout(timer);
}
