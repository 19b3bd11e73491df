import { readFileSync } from 'node:fs';
import path from 'node:path';
import { printSchema, Supergraph } from '@apollo/federation-internals';

/** The committed supergraph: the public contract every front-end builds against (`pnpm compose` writes it). */
export const SUPERGRAPH_FILE = path.resolve(__dirname, '../../../gateway/supergraph.graphql');

/**
 * The schema clients see: the supergraph without its join__/link__ machinery and @inaccessible elements — what the
 * gateway itself serves, computed by the same library the gateway runs on, so types never name a federation detail.
 */
export function apiSchemaSdl(supergraphFile = SUPERGRAPH_FILE): string {
  return printSchema(Supergraph.build(readFileSync(supergraphFile, 'utf8')).apiSchema());
}
