import type { ApolloServerPlugin } from '@apollo/server';
import {
  getNamedType,
  getNullableType,
  GraphQLError,
  isCompositeType,
  isListType,
  isObjectType,
  isInterfaceType,
  Kind,
  valueFromASTUntyped,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLCompositeType,
  type GraphQLField,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type ParseOptions,
  type SelectionSetNode,
} from 'graphql';
import { z } from 'zod';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from './pagination';

/**
 * The query limits, one config shape for the gateway and every subgraph: a subgraph is reachable directly, so it must
 * refuse what the gateway refuses.
 */
export const queryLimitsConfigShape = {
  MAX_DEPTH: z.coerce.number().int().min(1).default(12).describe('deepest field nesting'),
  MAX_ALIASES: z.coerce.number().int().min(0).default(15).describe('aliases in one operation'),
  MAX_COST: z.coerce.number().int().min(1).default(5000).describe('estimated fields resolved (see query-limits.ts)'),
  MAX_TOKENS: z.coerce.number().int().min(1).default(2000).describe('lexical tokens in the query text'),
  MAX_DIRECTIVES: z.coerce.number().int().min(0).default(50).describe('directives in one operation'),
};

export interface QueryLimitsConfig {
  MAX_DEPTH: number;
  MAX_ALIASES: number;
  MAX_COST: number;
  MAX_TOKENS: number;
  MAX_DIRECTIVES: number;
}

/**
 * Assumed sizes of the public schema's unpaged list fields (`Type.field`), so a list the client cannot bound prices
 * as what it typically holds rather than as one item. A paged field's size is its `first`/`last` instead. One table
 * for the gateway and every subgraph: a new list field without an entry counts as DEFAULT_LIST_SIZE.
 */
export const ASSUMED_LIST_SIZES: Readonly<Record<string, number>> = {
  'Query.communities': 5,
  'Community.grids': 10,
  'Grid.households': 100,
  'Query.pointsRuleHistory': 10,
  'PointsRule.categoryMultipliers': 10,
  'Opportunity.shifts': 5,
  'Shift.signUps': 20,
  'Organization.leaders': 3,
  'Organization.statusHistory': 5,
  'User.memberships': 5,
  'User.promotionHistory': 10,
  'Membership.roleHistory': 3,
  'ServiceOffering.slots': 20,
  'Query.assets': 50,
  'Query.facilityAvailability': 30,
  'Facility.openingHours': 7,
  'TransparencyReport.months': 12,
};
export const DEFAULT_LIST_SIZE = 10;

export interface CostOptions {
  listSizes?: Readonly<Record<string, number>>;
  defaultListSize?: number;
}

/** What the limits look at in one operation, fragments expanded. */
export interface OperationMeasure {
  depth: number;
  aliases: number;
  directives: number;
  /**
   * Upper estimate of the fields the response holds: each field counts 1, and everything below a list counts once per
   * item — `first`/`last` (literal or variable, else its default), the `_entities` representations, or the assumed
   * size of an unpaged list.
   */
  cost: number;
}

const NOTHING: OperationMeasure = { depth: 0, aliases: 0, directives: 0, cost: 0 };

const PAGE_ARGUMENTS = ['first', 'last'];

function argumentValue(node: FieldNode, name: string, variables: Record<string, unknown>): unknown {
  const argument = node.arguments?.find((candidate) => candidate.name.value === name);
  if (!argument) return undefined;
  return valueFromASTUntyped(argument.value, variables);
}

function countOf(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 ? value : undefined;
}

/** How many times the selections below `field` are resolved. */
function sizeOf(
  parent: GraphQLCompositeType,
  field: GraphQLField<unknown, unknown>,
  node: FieldNode,
  variables: Record<string, unknown>,
  options: Required<CostOptions>,
): number {
  const pageArguments = field.args.filter((argument) => PAGE_ARGUMENTS.includes(argument.name));
  if (pageArguments.length > 0) {
    const requested = pageArguments.map(
      (argument) => countOf(argumentValue(node, argument.name, variables)) ?? countOf(argument.defaultValue),
    );
    const given = requested.filter((value): value is number => value !== undefined);
    // pageArgs refuses more than MAX_PAGE_SIZE with a precise BAD_USER_INPUT on `first`; let it say so.
    return given.length > 0 ? Math.min(Math.max(...given), MAX_PAGE_SIZE) : DEFAULT_PAGE_SIZE;
  }
  if (field.name === '_entities') {
    const representations = argumentValue(node, 'representations', variables);
    return Array.isArray(representations) ? representations.length : options.defaultListSize;
  }
  if (!isListType(getNullableType(field.type))) return 1;
  // A connection's `edges` is the page its field's `first` already counted.
  if (parent.name.endsWith('Connection')) return 1;
  return options.listSizes[`${parent.name}.${field.name}`] ?? options.defaultListSize;
}

/** Depth, aliases, directives and cost of one operation. Fragments are measured once each, so spreading a fragment
 * many times costs the walk nothing extra (a fragment "bomb" shows up in the numbers, not in the time to get them). */
export function measureOperation(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  variables: Record<string, unknown> = {},
  costOptions: CostOptions = {},
): OperationMeasure {
  const options: Required<CostOptions> = {
    listSizes: costOptions.listSizes ?? ASSUMED_LIST_SIZES,
    defaultListSize: costOptions.defaultListSize ?? DEFAULT_LIST_SIZE,
  };
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions)
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  const measuredFragments = new Map<string, OperationMeasure>();
  const inProgress = new Set<string>();

  const typeNamed = (name: string | undefined, fallback: GraphQLCompositeType | undefined) => {
    if (!name) return fallback;
    const type = schema.getType(name);
    return type && isCompositeType(type) ? type : undefined;
  };

  const measureFragment = (name: string): OperationMeasure => {
    const known = measuredFragments.get(name);
    if (known) return known;
    const fragment = fragments.get(name);
    // Unknown and cyclic fragments are refused by validation before the limits run.
    if (!fragment || inProgress.has(name)) return NOTHING;
    inProgress.add(name);
    const measured = measureSet(fragment.selectionSet, typeNamed(fragment.typeCondition.name.value, undefined));
    inProgress.delete(name);
    const withOwnDirectives = { ...measured, directives: measured.directives + (fragment.directives?.length ?? 0) };
    measuredFragments.set(name, withOwnDirectives);
    return withOwnDirectives;
  };

  const measureSet = (set: SelectionSetNode, parent: GraphQLCompositeType | undefined): OperationMeasure => {
    let depth = 0;
    let aliases = 0;
    let directives = 0;
    let cost = 0;
    for (const selection of set.selections) {
      directives += selection.directives?.length ?? 0;
      let inner: OperationMeasure;
      if (selection.kind === Kind.FIELD) {
        if (selection.alias) aliases += 1;
        const name = selection.name.value;
        const field =
          parent && (isObjectType(parent) || isInterfaceType(parent)) ? parent.getFields()[name] : undefined;
        const childType = field ? getNamedType(field.type) : undefined;
        const child = selection.selectionSet
          ? measureSet(selection.selectionSet, childType && isCompositeType(childType) ? childType : undefined)
          : NOTHING;
        aliases += child.aliases;
        directives += child.directives;
        // Introspection is answered from the schema in memory (and is off in production): no depth, no cost.
        if (name.startsWith('__')) continue;
        depth = Math.max(depth, 1 + child.depth);
        const size = parent && field ? sizeOf(parent, field, selection, variables, options) : 1;
        cost += 1 + size * child.cost;
        continue;
      }
      if (selection.kind === Kind.INLINE_FRAGMENT)
        inner = measureSet(selection.selectionSet, typeNamed(selection.typeCondition?.name.value, parent));
      else inner = measureFragment(selection.name.value);
      depth = Math.max(depth, inner.depth);
      aliases += inner.aliases;
      directives += inner.directives;
      cost += inner.cost;
    }
    return { depth, aliases, directives, cost };
  };

  const root = schema.getRootType(operation.operation) ?? undefined;
  const measured = measureSet(operation.selectionSet, root);
  return { ...measured, directives: measured.directives + (operation.directives?.length ?? 0) };
}

/** Why a query was refused, as `extensions.reason`, next to the limit and the measured value. */
export type QueryLimitReason = 'QUERY_TOO_DEEP' | 'TOO_MANY_ALIASES' | 'TOO_MANY_DIRECTIVES' | 'QUERY_TOO_COSTLY';

function refusal(reason: QueryLimitReason, message: string, limit: number, actual: number): GraphQLError {
  return new GraphQLError(message, {
    // Same code as graphql-js's own validation errors: the query is refused before anything runs, as invalid.
    extensions: { code: 'GRAPHQL_VALIDATION_FAILED', reason, limit, actual, http: { status: 400 } },
  });
}

/** The first limit `measure` exceeds, or null. */
export function queryLimitViolation(
  measure: OperationMeasure,
  limits: QueryLimitsConfig,
  checkCost = true,
): GraphQLError | null {
  if (measure.depth > limits.MAX_DEPTH)
    return refusal(
      'QUERY_TOO_DEEP',
      `Query depth ${measure.depth} exceeds the maximum depth of ${limits.MAX_DEPTH}`,
      limits.MAX_DEPTH,
      measure.depth,
    );
  if (measure.aliases > limits.MAX_ALIASES)
    return refusal(
      'TOO_MANY_ALIASES',
      `Query uses ${measure.aliases} aliases; at most ${limits.MAX_ALIASES} are allowed`,
      limits.MAX_ALIASES,
      measure.aliases,
    );
  if (measure.directives > limits.MAX_DIRECTIVES)
    return refusal(
      'TOO_MANY_DIRECTIVES',
      `Query uses ${measure.directives} directives; at most ${limits.MAX_DIRECTIVES} are allowed`,
      limits.MAX_DIRECTIVES,
      measure.directives,
    );
  if (checkCost && measure.cost > limits.MAX_COST)
    return refusal(
      'QUERY_TOO_COSTLY',
      `Query cost ${measure.cost} exceeds the maximum cost of ${limits.MAX_COST}; ask for smaller pages`,
      limits.MAX_COST,
      measure.cost,
    );
  return null;
}

/** graphql-js stops parsing past the token limit, before any tree is built. */
export function queryParseOptions(limits: QueryLimitsConfig): ParseOptions {
  return { maxTokens: limits.MAX_TOKENS };
}

export interface QueryLimitsPluginOptions<Context> {
  costOptions?: CostOptions;
  /** Requests whose whole operation was already measured elsewhere (the gateway's fetches); cost is not re-checked. */
  costMeasuredUpstream?: (context: Context) => boolean;
  /** Hide graphql-js's "Did you mean …" suggestions (production): they spell out a schema without introspection. */
  hideSuggestions?: boolean;
}

/** Measures memoized per document: variables longer than this (e.g. a subgraph's `_entities` representations) are not kept. */
const MAX_MEMO_VARIABLES_LENGTH = 512;
const MAX_MEMO_PER_DOCUMENT = 64;

/**
 * Depth, aliases, directives and cost, checked per request once the operation is known. It runs as a plugin rather
 * than as validation rules because the cost depends on the variables (`first: $n`), and Apollo caches a document's
 * validation regardless of them.
 */
export function queryLimitsPlugin<Context extends object>(
  limits: QueryLimitsConfig,
  options: QueryLimitsPluginOptions<Context> = {},
): ApolloServerPlugin<Context> {
  // Apollo hands every repeat of a query string the same parsed document (its document store), so a repeated
  // operation with the same variables is measured once; a new schema comes with new documents.
  const measured = new WeakMap<DocumentNode, Map<string, OperationMeasure>>();
  const measureOnce = (
    schema: GraphQLSchema,
    document: DocumentNode,
    operation: OperationDefinitionNode,
    variables: Record<string, unknown>,
  ): OperationMeasure => {
    const serialized = JSON.stringify(variables);
    if (serialized.length > MAX_MEMO_VARIABLES_LENGTH)
      return measureOperation(schema, document, operation, variables, options.costOptions);
    const key = `${operation.name?.value ?? ''}\n${serialized}`;
    let byOperation = measured.get(document);
    if (!byOperation) {
      byOperation = new Map();
      measured.set(document, byOperation);
    }
    let result = byOperation.get(key);
    if (!result) {
      result = measureOperation(schema, document, operation, variables, options.costOptions);
      if (byOperation.size >= MAX_MEMO_PER_DOCUMENT) byOperation.clear();
      byOperation.set(key, result);
    }
    return result;
  };
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ schema, document, operation, request, contextValue }) {
          if (!operation) return;
          const measure = measureOnce(schema, document, operation, request.variables ?? {});
          const checkCost = !(options.costMeasuredUpstream?.(contextValue) ?? false);
          const violation = queryLimitViolation(measure, limits, checkCost);
          if (violation) throw violation;
        },
        async didEncounterErrors({ errors }) {
          if (!options.hideSuggestions) return;
          for (const error of errors) error.message = error.message.replace(/ ?Did you mean .+\?/g, '');
        },
      };
    },
  };
}
