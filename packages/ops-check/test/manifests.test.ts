import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { invariantProblems, parseManifests } from '../src';
import { KUSTOMIZATIONS, validateKustomization } from '../src/validate-manifests';

const repository = resolve(__dirname, '..', '..', '..');

const brokenDeployment = `
apiVersion: apps/v1
kind: Deployment
metadata: { name: careless }
spec:
  replicas: two
  selector: { matchLabels: { app.kubernetes.io/name: careless } }
  template:
    metadata:
      labels: { app.kubernetes.io/name: careless, app.kubernetes.io/part-of: taoyuan }
    spec:
      containers:
        - name: careless
          image: taoyuan/careless
`;

describe('Kubernetes manifests', () => {
  it('renders every overlay, and every object validates against the Kubernetes schemas and the invariants', () => {
    const reports = KUSTOMIZATIONS.map((entry) =>
      validateKustomization(join(repository, entry.path), entry.application),
    );
    expect(reports.map((report, index) => [KUSTOMIZATIONS[index].path, report.problems])).toEqual([
      ['infra/k8s/overlays/local', []],
      ['infra/k8s/overlays/local/migrations', []],
      ['infra/k8s/overlays/production', []],
      ['infra/k8s/overlays/production/migrations', []],
      ['infra/k8s/examples', []],
    ]);
    const production = reports[2].objects;
    for (const process of [
      'gateway',
      'identity',
      'volunteering',
      'organizations',
      'marketplace',
      'assets',
      'partners',
      'notifications',
    ])
      for (const kind of ['Deployment', 'Service', 'PodDisruptionBudget', 'HorizontalPodAutoscaler'])
        expect(production).toContain(`${kind}/${process}`);
    expect(reports[3].objects).toContain('Job/volunteering-migrate');
    expect(production).toContain('NetworkPolicy/allow-trace-export');
    expect(production).toContain('NetworkPolicy/allow-metrics-scrape');
  });

  it('refuses a manifest that breaks the schema or the invariants', () => {
    const directory = mkdtempSync(join(tmpdir(), 'ops-check-'));
    try {
      writeFileSync(join(directory, 'kustomization.yaml'), 'resources:\n  - deployment.yaml\n');
      writeFileSync(join(directory, 'deployment.yaml'), brokenDeployment);
      const problems = validateKustomization(directory, true).problems.join('\n');
      expect(problems).toMatch(/Deployment\/careless: .*replicas/);
      expect(problems).toContain('readinessProbe must GET /ready');
      expect(problems).toContain('livenessProbe must GET /live');
      expect(problems).toContain('resources.limits.memory is missing');
      expect(problems).toContain('must run as non-root');
      expect(problems).toContain('root filesystem must be read-only');
      expect(problems).toContain('no PodDisruptionBudget selects it');
      expect(problems).toContain('no default-deny NetworkPolicy');
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  });
});

describe('invariants', () => {
  const deployment = (terminationGracePeriodSeconds: number) =>
    parseManifests(
      `
apiVersion: v1
kind: ConfigMap
metadata: { name: taoyuan-common-abc123 }
data: { SHUTDOWN_DELAY_MS: '5000', SHUTDOWN_GRACE_MS: '20000' }
---
apiVersion: apps/v1
kind: Deployment
metadata: { name: volunteering }
spec:
  template:
    metadata: { labels: { app.kubernetes.io/part-of: taoyuan } }
    spec:
      terminationGracePeriodSeconds: ${terminationGracePeriodSeconds}
      containers: []
`,
      'inline',
    );

  it('wants the pod grace period to outlast the process’s readiness delay and drain together', () => {
    const problem = /terminationGracePeriodSeconds \(25000 ms\) must exceed .* \(25000 ms\)/;
    expect(invariantProblems(deployment(25), { application: false }).join('\n')).toMatch(problem);
    expect(invariantProblems(deployment(35), { application: false }).join('\n')).not.toMatch(/terminationGrace/);
  });

  it('wants the Kafka login variables all together or not at all, as the services do at start', () => {
    const objects = parseManifests(
      `
apiVersion: v1
kind: ConfigMap
metadata: { name: taoyuan-common }
data: { KAFKA_SASL_MECHANISM: '', KAFKA_BROKERS: 'kafka:9092' }
---
apiVersion: v1
kind: ConfigMap
metadata: { name: volunteering-config }
data: { KAFKA_USERNAME: volunteering }
---
apiVersion: apps/v1
kind: Deployment
metadata: { name: volunteering }
spec:
  template:
    metadata: { labels: { app.kubernetes.io/part-of: taoyuan } }
    spec:
      terminationGracePeriodSeconds: 35
      containers:
        - name: volunteering
          envFrom: [{ configMapRef: { name: taoyuan-common } }, { configMapRef: { name: volunteering-config } }]
          env: [{ name: KAFKA_PASSWORD, valueFrom: { secretKeyRef: { name: volunteering-kafka, key: password } } }]
`,
      'inline',
    );
    expect(invariantProblems(objects, { application: false }).join('\n')).toContain(
      'sets KAFKA_USERNAME, KAFKA_PASSWORD but not all of KAFKA_SASL_MECHANISM, KAFKA_USERNAME, KAFKA_PASSWORD',
    );
  });
});
