export { invariantProblems } from './invariants';
export { isK8sObject, type K8sObject } from './manifest';
export { parseManifests, renderKustomization, RenderError } from './render';
