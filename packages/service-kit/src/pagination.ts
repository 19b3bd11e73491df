import { Directive, Field, Int, ObjectType, type ClassType } from 'type-graphql';
import { BadUserInputError } from './errors';

/** Relay page info; every subgraph with lists defines the same value type, hence @shareable. */
@Directive('@shareable')
@ObjectType()
export class PageInfo {
  @Field()
  hasNextPage!: boolean;

  @Field()
  hasPreviousPage!: boolean;

  @Field(() => String, { nullable: true })
  startCursor!: string | null;

  @Field(() => String, { nullable: true })
  endCursor!: string | null;
}

export interface Edge<T> {
  cursor: string;
  node: T;
}

export interface Connection<T> {
  edges: Edge<T>[];
  pageInfo: PageInfo;
  totalCount?: number;
}

/** `XConnection` / `XEdge` object types for a node class (Relay cursor connections). */
export function ConnectionType<T extends object>(nodeClass: ClassType<T>, name = nodeClass.name) {
  @ObjectType(`${name}Edge`)
  class EdgeType {
    @Field()
    cursor!: string;

    @Field(() => nodeClass)
    node!: T;
  }

  @ObjectType(`${name}Connection`)
  class ConnectionClass {
    @Field(() => [EdgeType])
    edges!: EdgeType[];

    @Field(() => PageInfo)
    pageInfo!: PageInfo;
  }
  return ConnectionClass;
}

export const MAX_PAGE_SIZE = 100;

/** Validates `first` (1..100, default 20) and decodes an opaque keyset cursor. */
export function pageArgs<Cursor>(
  first: number | null | undefined,
  after: string | null | undefined,
): { limit: number; after: Cursor | null } {
  const limit = first ?? 20;
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE_SIZE)
    throw new BadUserInputError(`first must be between 1 and ${MAX_PAGE_SIZE}`, 'first');
  return { limit, after: after ? decodeCursor<Cursor>(after) : null };
}

export function encodeCursor(value: unknown): string {
  return Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');
}

export function decodeCursor<Cursor>(cursor: string): Cursor {
  try {
    return JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as Cursor;
  } catch {
    throw new BadUserInputError('after is not a valid cursor', 'after');
  }
}

/**
 * Builds a connection from rows fetched with `limit + 1` (the extra row only says whether a next page exists).
 */
export function toConnection<Row, Node = Row>(
  rows: Row[],
  limit: number,
  cursorOf: (row: Row) => unknown,
  toNode: (row: Row) => Node = (row) => row as unknown as Node,
  hasPrevious = false,
): Connection<Node> {
  const page = rows.slice(0, limit);
  const edges = page.map((row) => ({ cursor: encodeCursor(cursorOf(row)), node: toNode(row) }));
  return {
    edges,
    pageInfo: {
      hasNextPage: rows.length > limit,
      hasPreviousPage: hasPrevious,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges.at(-1)?.cursor ?? null,
    },
  };
}

export { Int };
