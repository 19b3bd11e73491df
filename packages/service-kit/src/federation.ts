import { buildSubgraphSchema } from '@apollo/subgraph';
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper';
import { printSchemaWithDirectives } from '@graphql-tools/utils';
import { type GraphQLSchema, parse } from 'graphql';
import {
  buildSchema,
  createResolversMap,
  type BuildSchemaOptions,
  type ContainerType,
  type NonEmptyArray,
} from 'type-graphql';
import { authChecker } from './auth';
import type { ServiceContext } from './context';

const FEDERATION_LINK =
  'extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key", "@shareable", "@external", "@requires", "@provides", "@inaccessible", "@tag", "@composeDirective"])';

/**
 * `@callerIndependent` on a field: its value is the same whoever asks, signed in or not (it depends only on its
 * parent and arguments), and anonymous callers may read it. `@composeDirective` keeps it in the supergraph, where the
 * gateway sends a fetch that selects only such fields without the caller's token, so identical fetches from different
 * callers merge into one (docs/decisions/0014-caller-independent-fetches.md). Mark a field only when its resolver
 * reads nothing of the caller: a wrong mark cannot leak one caller's data to another (no token travels), but the
 * field then answers as for an anonymous caller.
 */
export const CALLER_INDEPENDENT = '@callerIndependent';
const CALLER_INDEPENDENT_LINK = [
  'extend schema @link(url: "https://taoyuan.dev/caller-independent/v1.0", import: ["@callerIndependent"])',
  '  @composeDirective(name: "@callerIndependent")',
  '',
  'directive @callerIndependent on FIELD_DEFINITION | OBJECT',
].join('\n');

export type ReferenceResolver = (reference: { id: string }, context: ServiceContext) => Promise<unknown>;

export interface FederatedSchemaOptions {
  /** Resolver instances, already given their dependencies; type-graphql gets them through a tiny container. */
  resolvers: NonEmptyArray<object>;
  orphanedTypes?: BuildSchemaOptions['orphanedTypes'];
  /** `__resolveReference` per entity type this subgraph resolves, normally built with `batchedReference`. */
  references?: Record<string, ReferenceResolver>;
}

export interface FederatedSchema {
  schema: GraphQLSchema;
  /** The subgraph SDL, as composition and the committed `schema.graphql` see it. */
  sdl: string;
}

/** type-graphql classes → a Federation 2 subgraph schema (see STACK.md for why it is done this way). */
export async function buildFederatedSchema(options: FederatedSchemaOptions): Promise<FederatedSchema> {
  const instances = new Map<unknown, object>(options.resolvers.map((instance) => [instance.constructor, instance]));
  const container: ContainerType = {
    get: (someClass) => {
      const instance = instances.get(someClass);
      if (!instance)
        throw new Error(`No resolver instance registered for ${String((someClass as { name?: string }).name)}`);
      return instance;
    },
  };
  const typeGraphqlSchema = await buildSchema({
    resolvers: options.resolvers.map((instance) => instance.constructor) as NonEmptyArray<() => void>,
    orphanedTypes: options.orphanedTypes ?? [],
    container,
    authChecker,
    validate: false,
    skipCheck: true,
  });
  const sdl = `${FEDERATION_LINK}\n${CALLER_INDEPENDENT_LINK}\n\n${printSchemaWithDirectives(typeGraphqlSchema)}\n`;
  const resolverMap = createResolversMap(typeGraphqlSchema) as Record<string, Record<string, unknown>>;
  for (const [typeName, resolveReference] of Object.entries(options.references ?? {})) {
    resolverMap[typeName] = { ...(resolverMap[typeName] ?? {}), __resolveReference: resolveReference };
  }
  const schema = buildSubgraphSchema({ typeDefs: parse(sdl), resolvers: resolverMap as GraphQLResolverMap<unknown> });
  return { schema, sdl };
}

/**
 * A `__resolveReference` that batches: all references of one request go through one DataLoader, so the gateway's
 * `_entities` for fifty users costs one query, not fifty.
 */
export function batchedReference<T extends { id: string }>(
  typeName: string,
  loadMany: (ids: readonly string[], context: ServiceContext) => Promise<(T | null)[]>,
): ReferenceResolver {
  return (reference, context) =>
    context.loaders.get<string, T | null>(`reference:${typeName}`, (ids) => loadMany(ids, context)).load(reference.id);
}
