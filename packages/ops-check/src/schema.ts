import { createRequire } from 'node:module';
import { describe, type K8sObject } from './manifest';

// The model module is chosen by each object's apiVersion at run time, so it is loaded by name.
const loadModule = createRequire(__filename);

interface Model {
  validate(): void;
}
type ModelClass = new (data: K8sObject) => Model;

function modelFor(apiVersion: string, kind: string): ModelClass | undefined {
  let group: Record<string, unknown>;
  try {
    // One module per API group and version, e.g. kubernetes-models/apps/v1; core is kubernetes-models/v1.
    group = loadModule(`kubernetes-models/${apiVersion}`) as Record<string, unknown>;
  } catch {
    return undefined;
  }
  const model = group[kind];
  return typeof model === 'function' ? (model as ModelClass) : undefined;
}

/**
 * kustomize wraps long base64 values of a Secret over several lines; the API server's decoder skips line breaks,
 * the schema's `byte` format does not.
 */
function unwrapSecretData(object: K8sObject): K8sObject {
  const data = (object as { data?: Record<string, unknown> }).data;
  if (object.kind !== 'Secret' || !data) return object;
  const unwrapped = Object.fromEntries(
    Object.entries(data).map(([key, value]) => [key, typeof value === 'string' ? value.replace(/\s+/g, '') : value]),
  );
  return { ...object, data: unwrapped };
}

/** Problems of one object against the Kubernetes OpenAPI schema of its apiVersion and kind; none when it is valid. */
export function schemaProblems(object: K8sObject): string[] {
  const Model = modelFor(object.apiVersion, object.kind);
  if (!Model) return [`${describe(object)}: no Kubernetes schema for ${object.apiVersion} ${object.kind}`];
  try {
    new Model(unwrapSecretData(object)).validate();
    return [];
  } catch (error) {
    return [`${describe(object)}: ${(error as Error).message}`];
  }
}
