import { execFileSync } from 'node:child_process';
import { parseAllDocuments } from 'yaml';
import { isK8sObject, type K8sObject } from './manifest';

export class RenderError extends Error {}

/**
 * `kubectl kustomize` needs no cluster and no network. Debian's kubectl (kustomize 2.0) and current ones (kustomize 5)
 * both render the overlays: they use only what both read (`bases` for folders, generators, strategic-merge patches).
 */
export function renderKustomization(directory: string, kubectl = process.env.KUBECTL ?? 'kubectl'): K8sObject[] {
  let output: string;
  try {
    output = execFileSync(kubectl, ['kustomize', directory], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
      maxBuffer: 64 * 1024 * 1024,
    });
  } catch (error) {
    const stderr = (error as { stderr?: string }).stderr ?? '';
    const notFound = (error as NodeJS.ErrnoException).code === 'ENOENT';
    throw new RenderError(
      notFound
        ? `${kubectl} not found: install it (Debian: apt-get install kubernetes-client) or set KUBECTL`
        : `kubectl kustomize ${directory} failed: ${stderr.trim() || (error as Error).message}`,
    );
  }
  return parseManifests(output, directory);
}

export function parseManifests(text: string, source: string): K8sObject[] {
  const objects: K8sObject[] = [];
  for (const document of parseAllDocuments(text)) {
    if (document.errors.length > 0) throw new RenderError(`${source}: ${document.errors[0].message}`);
    const value: unknown = document.toJS();
    if (value === null || value === undefined) continue;
    if (!isK8sObject(value)) throw new RenderError(`${source}: a document without apiVersion, kind and metadata.name`);
    objects.push(value);
  }
  return objects;
}
