import { readdirSync, readFileSync, readlinkSync } from 'node:fs';

/**
 * CPU time of every process on the machine, grouped by role (gateway, each subgraph, PostgreSQL, this bench process
 * with its load generator and broker, everything else), read from /proc. Answers "where did a request's CPU go?"
 * across processes, which one process's profile cannot.
 */
export type CpuByRole = Map<string, number>;

const TICKS_PER_SECOND = 100;

function roleOf(pid: number, args: string): string {
  if (pid === process.pid) return 'bench (load, broker)';
  if (/postgres/.test(args)) return 'postgres';
  const service = /services\/([a-z-]+)\//.exec(args);
  if (service) return service[1];
  if (/hive-gateway/.test(args)) return 'hive';
  if (/\/gateway\/ /.test(args)) return 'gateway';
  if (/node/.test(args)) return 'other node';
  return 'other';
}

export function readCpuByRole(): CpuByRole {
  const totals: CpuByRole = new Map();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const pid = Number(entry);
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(') ') + 2).split(' ');
      const seconds = (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
      // Services start with a relative entry (dist/main.js) in their own folder: the folder names them.
      const args = `${readlinkSync(`/proc/${entry}/cwd`)}/ ${readFileSync(`/proc/${entry}/cmdline`, 'utf8').replace(/\0/g, ' ')}`;
      const role = roleOf(pid, args);
      totals.set(role, (totals.get(role) ?? 0) + seconds);
    } catch {
      // The process ended between listing and reading: its CPU is lost to this sample, which is fine.
    }
  }
  return totals;
}

/** CPU seconds by role used since `before` (a reading of readCpuByRole). */
export function cpuSince(before: CpuByRole): CpuByRole {
  return new Map([...readCpuByRole()].map(([role, seconds]) => [role, seconds - (before.get(role) ?? 0)]));
}

/** CPU milliseconds per request by role, largest first, e.g. "gateway 3.10, postgres 2.40 (total 9.8 ms)". */
export function formatCpuPerRequest(used: CpuByRole, requests: number): string {
  const perRequest = [...used]
    .map(([role, seconds]) => [role, (seconds * 1000) / Math.max(1, requests)] as const)
    .filter(([, ms]) => ms >= 0.05)
    .sort((a, b) => b[1] - a[1]);
  const total = perRequest.reduce((sum, [, ms]) => sum + ms, 0);
  return `${perRequest.map(([role, ms]) => `${role} ${ms.toFixed(2)}`).join(', ')} (total ${total.toFixed(1)} ms)`;
}

/** Bucket counts of one Prometheus histogram, summed over the label sets that match `labels`, by upper bound. */
export type Buckets = Map<number, number>;

export async function readHistogram(metricsUrl: string, name: string, labels: RegExp = /.*/): Promise<Buckets> {
  const text = await (await fetch(metricsUrl)).text();
  const buckets: Buckets = new Map();
  const line = new RegExp(`^${name}_bucket\\{(.*)\\} (\\S+)$`, 'gm');
  for (const match of text.matchAll(line)) {
    const le = /le="([^"]+)"/.exec(match[1]);
    if (!le || !labels.test(match[1])) continue;
    const bound = le[1] === '+Inf' ? Infinity : Number(le[1]);
    buckets.set(bound, (buckets.get(bound) ?? 0) + Number(match[2]));
  }
  return buckets;
}

/** "n, >100 ms x%, >250 ms y%" between two readings of a cumulative histogram. */
export function formatTail(before: Buckets, after: Buckets): string {
  const delta = (bound: number) => (after.get(bound) ?? 0) - (before.get(bound) ?? 0);
  const total = delta(Infinity);
  const over = (bound: number) =>
    `>${bound * 1000} ms ${((100 * (total - delta(bound))) / Math.max(1, total)).toFixed(1)}%`;
  return `${total} requests, ${over(0.1)}, ${over(0.25)}, ${over(0.5)}`;
}
