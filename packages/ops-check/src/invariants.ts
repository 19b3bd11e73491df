import { describe, type K8sObject } from './manifest';

interface Probe {
  httpGet?: { path?: string };
}
interface Container {
  name: string;
  image?: string;
  env?: { name: string; value?: string; valueFrom?: unknown }[];
  envFrom?: { configMapRef?: { name?: string } }[];
  readinessProbe?: Probe;
  livenessProbe?: Probe;
  resources?: { requests?: Record<string, unknown>; limits?: Record<string, unknown> };
  securityContext?: { runAsNonRoot?: boolean; readOnlyRootFilesystem?: boolean; allowPrivilegeEscalation?: boolean };
}
interface PodSpec {
  containers?: Container[];
  securityContext?: { runAsNonRoot?: boolean };
  terminationGracePeriodSeconds?: number;
}
interface Workload extends K8sObject {
  spec?: { selector?: { matchLabels?: Record<string, string> }; template?: { spec?: PodSpec } };
}

const PART_OF = 'app.kubernetes.io/part-of';

function templateLabels(object: K8sObject): Record<string, string> {
  const spec = (object as { spec?: { template?: { metadata?: { labels?: Record<string, string> } } } }).spec;
  return spec?.template?.metadata?.labels ?? {};
}

function isTaoyuanWorkload(object: K8sObject): object is Workload {
  return (object.kind === 'Deployment' || object.kind === 'Job') && templateLabels(object)[PART_OF] === 'taoyuan';
}

function containerProblems(owner: string, pod: PodSpec, container: Container, isDeployment: boolean): string[] {
  const problems: string[] = [];
  const where = `${owner} container ${container.name}`;
  if (isDeployment) {
    if (container.readinessProbe?.httpGet?.path !== '/ready') problems.push(`${where}: readinessProbe must GET /ready`);
    if (container.livenessProbe?.httpGet?.path !== '/live') problems.push(`${where}: livenessProbe must GET /live`);
  }
  for (const bound of ['requests', 'limits'] as const)
    for (const resource of ['cpu', 'memory'])
      if (container.resources?.[bound]?.[resource] === undefined)
        problems.push(`${where}: resources.${bound}.${resource} is missing`);
  if (container.securityContext?.runAsNonRoot !== true && pod.securityContext?.runAsNonRoot !== true)
    problems.push(`${where}: must run as non-root (runAsNonRoot)`);
  if (container.securityContext?.readOnlyRootFilesystem !== true)
    problems.push(`${where}: root filesystem must be read-only`);
  if (container.securityContext?.allowPrivilegeEscalation !== false)
    problems.push(`${where}: allowPrivilegeEscalation must be false`);
  if (!container.image || !/:[\w.-]+$|@sha256:/.test(container.image.split('/').pop() ?? ''))
    problems.push(`${where}: image ${container.image ?? '(none)'} has no tag`);
  return problems;
}

/** Variables a container gets with a non-empty value: its ConfigMaps' keys, then its own env. */
function environmentOf(objects: K8sObject[], container: Container): Set<string> {
  const names = new Set<string>();
  for (const source of container.envFrom ?? []) {
    const configMap = objects.find(
      (object) => object.kind === 'ConfigMap' && object.metadata.name === source.configMapRef?.name,
    ) as { data?: Record<string, string> } | undefined;
    for (const [key, value] of Object.entries(configMap?.data ?? {})) if (value !== '') names.add(key);
  }
  for (const variable of container.env ?? [])
    if (variable.valueFrom !== undefined || (variable.value ?? '') !== '') names.add(variable.name);
  return names;
}

/** kafkaCredentialsFromConfig refuses to start unless the three Kafka login variables come together or not at all. */
const KAFKA_LOGIN = ['KAFKA_SASL_MECHANISM', 'KAFKA_USERNAME', 'KAFKA_PASSWORD'];

function selects(object: K8sObject, name: string): boolean {
  const spec = (object as { spec?: { selector?: Record<string, unknown> & { matchLabels?: Record<string, string> } } })
    .spec;
  const labels = object.kind === 'Service' ? spec?.selector : spec?.selector?.matchLabels;
  return labels?.['app.kubernetes.io/name'] === name;
}

/** The millisecond settings the processes read, from the shared ConfigMap (its name may carry a hash suffix). */
function sharedSetting(objects: K8sObject[], key: string): number | undefined {
  const common = objects.find(
    (object) => object.kind === 'ConfigMap' && /^taoyuan-common(-|$)/.test(object.metadata.name),
  );
  const value = (common as { data?: Record<string, string> } | undefined)?.data?.[key];
  return value === undefined || value === '' ? undefined : Number(value);
}

/**
 * What every overlay must keep true beyond the schema: each Taoyuan Deployment is probed, bounded, unprivileged and
 * read-only, and comes with its Service, PodDisruptionBudget and HorizontalPodAutoscaler; its grace period covers the
 * process's own shutdown budget; the namespace denies traffic by default.
 */
export function invariantProblems(objects: K8sObject[], { application }: { application: boolean }): string[] {
  const problems: string[] = [];
  const delay = sharedSetting(objects, 'SHUTDOWN_DELAY_MS') ?? 0;
  const grace = sharedSetting(objects, 'SHUTDOWN_GRACE_MS') ?? 20_000;
  for (const workload of objects.filter(isTaoyuanWorkload)) {
    const pod = workload.spec?.template?.spec ?? {};
    const isDeployment = workload.kind === 'Deployment';
    const containers = pod.containers ?? [];
    if (containers.length === 0) problems.push(`${describe(workload)}: no containers`);
    for (const container of containers) {
      problems.push(...containerProblems(describe(workload), pod, container, isDeployment));
      const environment = environmentOf(objects, container);
      const present = KAFKA_LOGIN.filter((name) => environment.has(name));
      if (isDeployment && present.length > 0 && present.length < KAFKA_LOGIN.length)
        problems.push(
          `${describe(workload)} container ${container.name}: sets ${present.join(', ')} but not all of ${KAFKA_LOGIN.join(', ')}`,
        );
    }
    if (!isDeployment) continue;
    const name = workload.metadata.name;
    for (const kind of ['Service', 'PodDisruptionBudget'])
      if (!objects.some((object) => object.kind === kind && selects(object, name)))
        problems.push(`${describe(workload)}: no ${kind} selects it`);
    const scaled = objects.some(
      (object) =>
        object.kind === 'HorizontalPodAutoscaler' &&
        (object as { spec?: { scaleTargetRef?: { kind?: string; name?: string } } }).spec?.scaleTargetRef?.name ===
          name,
    );
    if (!scaled) problems.push(`${describe(workload)}: no HorizontalPodAutoscaler scales it`);
    const terminationMs = (pod.terminationGracePeriodSeconds ?? 30) * 1000;
    if (terminationMs <= delay + grace)
      problems.push(
        `${describe(workload)}: terminationGracePeriodSeconds (${terminationMs} ms) must exceed SHUTDOWN_DELAY_MS + SHUTDOWN_GRACE_MS (${delay + grace} ms)`,
      );
  }
  if (application) {
    const denyAll = objects.some(
      (object) =>
        object.kind === 'NetworkPolicy' &&
        Object.keys(
          (object as { spec?: { podSelector?: { matchLabels?: object } } }).spec?.podSelector?.matchLabels ?? {},
        ).length === 0 &&
        !('ingress' in ((object as { spec?: object }).spec ?? {})) &&
        !('egress' in ((object as { spec?: object }).spec ?? {})),
    );
    if (!denyAll) problems.push('no default-deny NetworkPolicy');
    if (!objects.some(isTaoyuanWorkload)) problems.push('no Taoyuan workload rendered');
  }
  return problems;
}
