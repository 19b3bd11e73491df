import { join, relative, resolve } from 'node:path';
import { invariantProblems } from './invariants';
import { describe } from './manifest';
import { renderKustomization } from './render';
import { schemaProblems } from './schema';

/** Every build an operator applies, and whether it is a whole application (network policies, workloads). */
export const KUSTOMIZATIONS: readonly { path: string; application: boolean }[] = [
  { path: 'infra/k8s/overlays/local', application: true },
  { path: 'infra/k8s/overlays/local/migrations', application: false },
  { path: 'infra/k8s/overlays/production', application: true },
  { path: 'infra/k8s/overlays/production/migrations', application: false },
  { path: 'infra/k8s/examples', application: false },
];

export interface KustomizationReport {
  path: string;
  objects: string[];
  problems: string[];
}

export function validateKustomization(directory: string, application: boolean): KustomizationReport {
  const objects = renderKustomization(directory);
  return {
    path: directory,
    objects: objects.map(describe),
    problems: [...objects.flatMap(schemaProblems), ...invariantProblems(objects, { application })],
  };
}

/**
 * `pnpm --filter @taoyuan/ops-check validate-manifests [--json] [dir …]`: renders each kustomization (all of the
 * project's by default) and prints its problems; exits 1 when there is any.
 */
function main(argv: string[]) {
  const json = argv.includes('--json');
  const repository = resolve(__dirname, '..', '..', '..');
  const asked = argv.filter((argument) => !argument.startsWith('--'));
  const targets =
    asked.length > 0
      ? asked.map((path) => ({ path: resolve(path), application: !path.includes('migrations') }))
      : KUSTOMIZATIONS.map((entry) => ({ ...entry, path: join(repository, entry.path) }));
  const reports = targets.map((target) => {
    try {
      return validateKustomization(target.path, target.application);
    } catch (error) {
      return { path: target.path, objects: [], problems: [(error as Error).message] };
    }
  });
  if (json) {
    process.stdout.write(`${JSON.stringify(reports)}\n`);
  } else {
    for (const report of reports) {
      const where = relative(repository, report.path) || report.path;
      console.log(`${where}: ${report.objects.length} objects, ${report.problems.length} problems`);
      for (const problem of report.problems) console.log(`  - ${problem}`);
    }
  }
  process.exitCode = reports.some((report) => report.problems.length > 0) ? 1 : 0;
}

if (require.main === module) main(process.argv.slice(2));
