import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { ApolloServerOptions } from '@apollo/server';
import { InMemoryLRUCache, type KeyValueCache } from '@apollo/utils.keyvaluecache';
import { localizeError, negotiateLocale, type HttpServerOptions, type Locale } from '@taoyuan/service-kit';
import express from 'express';

type App = Parameters<NonNullable<HttpServerOptions['routes']>>[0];
type PersistedQueriesOption = ApolloServerOptions<object>['persistedQueries'];

export type PersistedDocumentsMode = 'off' | 'allowed' | 'required';

export interface PersistedDocumentsConfig {
  PERSISTED_DOCUMENTS: PersistedDocumentsMode;
  PERSISTED_DOCUMENTS_MANIFEST?: string;
  DEFAULT_LOCALE: Locale;
  BODY_LIMIT: string;
}

export const sha256Hex = (document: string): string => createHash('sha256').update(document).digest('hex');

interface ApolloManifest {
  format: 'apollo-persisted-query-manifest';
  version: 1;
  operations: { id: string; body: string }[];
}

/**
 * Reads the trusted documents: GraphQL Code Generator's `persisted-documents.json` ({ "<sha256>": "<document>" }) or
 * Apollo's persisted query manifest. A hash that is not the SHA-256 of its document stops the start: the gateway would
 * otherwise run a document under another one's name.
 */
export function loadManifest(file: string): Map<string, string> {
  const parsed = JSON.parse(readFileSync(file, 'utf8')) as Record<string, string> | ApolloManifest;
  const entries: [string, string][] =
    'format' in parsed && parsed.format === 'apollo-persisted-query-manifest'
      ? (parsed as ApolloManifest).operations.map((operation) => [operation.id, operation.body])
      : Object.entries(parsed as Record<string, string>);
  const documents = new Map<string, string>();
  for (const [hash, document] of entries) {
    if (typeof document !== 'string' || sha256Hex(document) !== hash.toLowerCase())
      throw new Error(`${file}: ${hash} is not the SHA-256 of its document`);
    documents.set(hash.toLowerCase(), document);
  }
  return documents;
}

/**
 * The APQ store: the manifest's documents are always there (a client may send only their hash, over GET too); other
 * documents registered by clients are kept in an LRU, unless only the manifest is trusted.
 */
class ManifestFirstCache implements KeyValueCache<string> {
  constructor(
    private readonly manifest: Map<string, string>,
    private readonly registered: KeyValueCache<string> | undefined,
  ) {}

  async get(key: string): Promise<string | undefined> {
    // Apollo prefixes the keys ("apq:<hash>").
    return this.manifest.get(key.slice(key.lastIndexOf(':') + 1)) ?? (await this.registered?.get(key));
  }

  async set(key: string, value: string, options?: { ttl?: number | null }): Promise<void> {
    await this.registered?.set(key, value, options);
  }

  async delete(key: string): Promise<boolean | void> {
    return this.registered?.delete(key);
  }
}

export function persistedQueriesOption(
  config: PersistedDocumentsConfig,
  manifest: Map<string, string>,
): PersistedQueriesOption {
  if (config.PERSISTED_DOCUMENTS === 'off') return false;
  const registered =
    config.PERSISTED_DOCUMENTS === 'allowed' ? new InMemoryLRUCache<string>({ maxSize: 16 * 1024 * 1024 }) : undefined;
  return { cache: new ManifestFirstCache(manifest, registered), ttl: null };
}

function operationOf(source: unknown): { query?: unknown; extensions?: unknown } {
  return typeof source === 'object' && source !== null ? source : {};
}

function requestedHash(query: unknown, extensions: unknown): string | undefined {
  if (typeof query === 'string' && query.length > 0) return sha256Hex(query);
  const parsed = typeof extensions === 'string' ? safeJson(extensions) : extensions;
  const hash = (parsed as { persistedQuery?: { sha256Hash?: unknown } } | undefined)?.persistedQuery?.sha256Hash;
  return typeof hash === 'string' ? hash.toLowerCase() : undefined;
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/**
 * In `required` mode every operation must be a document of the manifest, by hash or by its exact text; anything else
 * is refused before parsing, with PERSISTED_QUERY_NOT_FOUND and reason OPERATION_NOT_TRUSTED.
 */
export function mountTrustedDocuments(app: App, config: PersistedDocumentsConfig, manifest: Map<string, string>): void {
  if (config.PERSISTED_DOCUMENTS !== 'required') return;
  // Parsed here (the shell's parser then skips it) so the check sees the operation before Apollo does.
  app.post('/graphql', express.json({ limit: config.BODY_LIMIT }));
  app.use('/graphql', (req, res, next) => {
    if (req.method !== 'GET' && req.method !== 'POST') return next();
    const { query, extensions } = operationOf(req.method === 'GET' ? req.query : req.body);
    const hash = requestedHash(query, extensions);
    if (hash !== undefined && manifest.has(hash)) return next();
    const locale = negotiateLocale(req.header('accept-language'), config.DEFAULT_LOCALE);
    const error = localizeError(
      {
        message: 'Only the documents of the trusted-documents manifest run here',
        extensions: { code: 'PERSISTED_QUERY_NOT_FOUND', reason: 'OPERATION_NOT_TRUSTED' },
      },
      locale,
    );
    res.status(400).json({ errors: [error] });
  });
}

const manifests = new Map<string, Map<string, string>>();

/** The manifest of PERSISTED_DOCUMENTS_MANIFEST, read once per process; `required` without one cannot start. */
export function trustedManifest(config: PersistedDocumentsConfig): Map<string, string> {
  const file = config.PERSISTED_DOCUMENTS_MANIFEST;
  if (!file) {
    if (config.PERSISTED_DOCUMENTS === 'required')
      throw new Error('PERSISTED_DOCUMENTS=required needs PERSISTED_DOCUMENTS_MANIFEST, the manifest file');
    return new Map();
  }
  let manifest = manifests.get(file);
  if (!manifest) {
    manifest = loadManifest(file);
    manifests.set(file, manifest);
  }
  return manifest;
}
