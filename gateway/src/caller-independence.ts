import {
  buildASTSchema,
  getNamedType,
  isObjectType,
  isInterfaceType,
  Kind,
  OperationTypeNode,
  parse,
  type DocumentNode,
  type FragmentDefinitionNode,
  type GraphQLCompositeType,
  type GraphQLSchema,
  type SelectionSetNode,
} from 'graphql';
import { LRUCache } from 'lru-cache';

const DIRECTIVE = 'callerIndependent';
const ENTITIES = '_entities';

/**
 * Which subgraph fetches the gateway may send without the caller's token. A fetch qualifies when it is a query and
 * every field it selects is marked `@callerIndependent` in the supergraph (its value is the same whoever asks), and,
 * for an `_entities` fetch, every entity type it reads is marked too (an entity is found by its key the same way for
 * every caller). Such a fetch carries no Authorization, so identical fetches from different callers merge into one
 * (subgraph-fetcher.ts), and no caller's token can shape the answer another caller reads.
 * See docs/decisions/0014-caller-independent-fetches.md.
 */
export class CallerIndependence {
  private readonly schema: GraphQLSchema;
  private readonly markedTypes = new Set<string>();
  private readonly markedFields = new Set<string>();
  /** Subgraph operations come from cached query plans: few distinct strings, each judged once. */
  private readonly verdicts = new LRUCache<string, boolean>({ max: 2_000 });

  constructor(supergraphSdl: string) {
    const document = parse(supergraphSdl);
    this.schema = buildASTSchema(document, { assumeValidSDL: true });
    for (const definition of document.definitions) {
      if (definition.kind !== Kind.OBJECT_TYPE_DEFINITION && definition.kind !== Kind.OBJECT_TYPE_EXTENSION) continue;
      const type = definition.name.value;
      if (definition.directives?.some((directive) => directive.name.value === DIRECTIVE)) this.markedTypes.add(type);
      for (const field of definition.fields ?? [])
        if (field.directives?.some((directive) => directive.name.value === DIRECTIVE))
          this.markedFields.add(`${type}.${field.name.value}`);
    }
  }

  /** Whether this subgraph operation (as the query planner wrote it) may be sent without the caller's token. */
  test(operation: string): boolean {
    let verdict = this.verdicts.get(operation);
    if (verdict === undefined) {
      verdict = this.judge(operation);
      this.verdicts.set(operation, verdict);
    }
    return verdict;
  }

  private judge(operation: string): boolean {
    let document: DocumentNode;
    try {
      document = parse(operation);
    } catch {
      return false;
    }
    const operations = document.definitions.filter((definition) => definition.kind === Kind.OPERATION_DEFINITION);
    if (operations.length !== 1 || operations[0].operation !== OperationTypeNode.QUERY) return false;
    const fragments = new Map(
      document.definitions
        .filter((definition): definition is FragmentDefinitionNode => definition.kind === Kind.FRAGMENT_DEFINITION)
        .map((fragment) => [fragment.name.value, fragment]),
    );
    const queryType = this.schema.getQueryType();
    if (!queryType) return false;

    const independent = (set: SelectionSetNode, type: GraphQLCompositeType, root: boolean): boolean =>
      set.selections.every((selection) => {
        if (selection.kind === Kind.INLINE_FRAGMENT || selection.kind === Kind.FRAGMENT_SPREAD) {
          const fragment = selection.kind === Kind.FRAGMENT_SPREAD ? fragments.get(selection.name.value) : selection;
          if (!fragment) return false;
          const condition = fragment.typeCondition ? this.schema.getType(fragment.typeCondition.name.value) : type;
          if (!condition || !(isObjectType(condition) || isInterfaceType(condition))) return false;
          return independent(fragment.selectionSet, condition, root);
        }
        const name = selection.name.value;
        if (name === '__typename') return true;
        if (root && name === ENTITIES)
          // `_entities(representations: $r) { ... on User { … } }`: the representations are variables, part of the
          // merged request; each type read by key must be marked, and so must everything selected on it.
          return (
            selection.selectionSet !== undefined &&
            selection.selectionSet.selections.every((entity) => {
              if (entity.kind !== Kind.INLINE_FRAGMENT || !entity.typeCondition) return false;
              const entityType = this.schema.getType(entity.typeCondition.name.value);
              return (
                isObjectType(entityType) &&
                this.markedTypes.has(entityType.name) &&
                independent(entity.selectionSet, entityType, false)
              );
            })
          );
        if (!this.markedFields.has(`${type.name}.${name}`)) return false;
        if (!selection.selectionSet) return true;
        if (!isObjectType(type) && !isInterfaceType(type)) return false;
        const field = type.getFields()[name];
        const fieldType = field && getNamedType(field.type);
        if (!fieldType || !(isObjectType(fieldType) || isInterfaceType(fieldType))) return false;
        return independent(selection.selectionSet, fieldType, false);
      });

    return independent(operations[0].selectionSet, queryType, true);
  }
}
