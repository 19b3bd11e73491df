import { Directive, Field, Int, ObjectType, type ClassType } from 'type-graphql';
import { z } from 'zod';
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
/** The page size when a client gives no `first`; the cost estimate assumes it too. */
export const DEFAULT_PAGE_SIZE = 20;

/**
 * An opaque keyset cursor of one shape. Cursors come back from clients, so `decode` checks shape and types with the
 * schema: a forged or truncated cursor is the client's mistake (BAD_USER_INPUT on `after`), never a database error.
 */
export interface CursorCodec<Cursor> {
  encode(value: Cursor): string;
  decode(cursor: string): Cursor;
}

export function cursorCodec<Cursor>(schema: z.ZodType<Cursor>): CursorCodec<Cursor> {
  return {
    encode: (value) => encodeCursor(value),
    decode: (cursor) => {
      let json: unknown;
      try {
        json = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
      } catch {
        throw new BadUserInputError('after is not a valid cursor', 'after');
      }
      const parsed = schema.safeParse(json);
      if (!parsed.success) throw new BadUserInputError('after is not a valid cursor', 'after');
      return parsed.data;
    },
  };
}

const ID = z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i);
/** Milliseconds a JavaScript Date can hold, so a decoded time is always a valid Date. */
const EPOCH_MILLIS = z.number().int().min(-8.64e15).max(8.64e15);

/** "Newest first" lists ordered by (a timestamp, id): the timestamp in epoch milliseconds and the row id. */
export const timeAndIdCursor = cursorCodec<[number, string]>(z.tuple([EPOCH_MILLIS, ID]));
/** Lists ordered by (a text, id), e.g. organizations by name. */
export const textAndIdCursor = cursorCodec<[string, string]>(z.tuple([z.string().max(1000), ID]));
/** Lists ordered by a bigint sequence column (appended rows); the value stays a decimal string as pg returns it. */
export const sequenceCursor = cursorCodec<[string]>(z.tuple([z.string().regex(/^\d{1,18}$/)]));

/** Validates `first` (1..100, default 20) and decodes the opaque keyset cursor with the list's codec. */
export function pageArgs<Cursor>(
  first: number | null | undefined,
  after: string | null | undefined,
  codec: CursorCodec<Cursor>,
): { limit: number; after: Cursor | null } {
  const limit = first ?? DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE_SIZE)
    throw new BadUserInputError(`first must be between 1 and ${MAX_PAGE_SIZE}`, 'first');
  return { limit, after: after ? codec.decode(after) : null };
}

export function encodeCursor(value: unknown): string {
  return Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');
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
