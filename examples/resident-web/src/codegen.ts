import { createHash } from 'node:crypto';
import path from 'node:path';
import type { CodegenConfig } from '@graphql-codegen/cli';
import { apiSchemaSdl } from './api-schema';

const root = path.resolve(__dirname, '..');

/** Where the generated types and the trusted-documents manifest live (committed; `pnpm codegen` rewrites them). */
export const GENERATED_DIR = path.join(root, 'web/gql');

/**
 * The manifest's keys are plain SHA-256 hex: what the gateway's manifest loader checks and what an APQ request
 * carries in `extensions.persistedQuery.sha256Hash`. The preset's own `sha256` would prefix `sha256:`.
 */
const sha256Hex = (document: string) => createHash('sha256').update(document).digest('hex');

const config: CodegenConfig = {
  schema: apiSchemaSdl(),
  documents: [path.join(root, 'web/**/*.graphql')],
  ignoreNoDocuments: false,
  generates: {
    [`${GENERATED_DIR}/`]: {
      preset: 'client',
      presetConfig: {
        fragmentMasking: false,
        // The page ships hashes only: the documents' text stays in the manifest the gateway loads.
        persistedDocuments: { mode: 'replaceDocumentWithHash', hashAlgorithm: sha256Hex },
      },
      config: {
        useTypeImports: true,
        enumsAsTypes: true,
        scalars: { DateTime: 'string', DateTimeISO: 'string', SafeInt: 'number' },
      },
    },
  },
};

export default config;
