/* eslint-disable */
import * as types from './graphql';
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';

/**
 * Map of all GraphQL operations in the project.
 *
 * This map has several performance disadvantages:
 * 1. It is not tree-shakeable, so it will include all operations in the project.
 * 2. It is not minifiable, so the string of a GraphQL query will be multiple times inside the bundle.
 * 3. It does not support dead code elimination, so it will add unused operations.
 *
 * Therefore it is highly recommended to use the babel or swc plugin for production.
 * Learn more about it here: https://the-guild.dev/graphql/codegen/plugins/presets/preset-client#reducing-bundle-size
 */
type Documents = {
    "mutation SignIn($phone: String!, $password: String!) {\n  login(phone: $phone, password: $password) {\n    accessToken\n    expiresAt\n  }\n}\n\nquery Resident {\n  me {\n    id\n    displayName\n    community {\n      name\n    }\n    pointsAccount {\n      balance\n      tier\n      nextTier\n      pointsToNextTier\n    }\n  }\n}\n\nquery Opportunities {\n  opportunities(first: 20, filter: {hasSpots: true}) {\n    edges {\n      node {\n        id\n        title\n        location\n        shifts {\n          id\n          startsAt\n          endsAt\n          timeZone\n          spotsLeft\n        }\n      }\n    }\n  }\n}\n\nmutation SignUpForShift($shiftId: ID!) {\n  signUp(shiftId: $shiftId) {\n    id\n    status\n    waitlistPosition\n    shift {\n      id\n      spotsLeft\n    }\n  }\n}\n\nquery Notifications {\n  me {\n    id\n    unreadNotificationCount\n    notifications(first: 20) {\n      edges {\n        node {\n          id\n          sequence\n          kind\n          title\n          body\n          createdAt\n          read\n        }\n      }\n    }\n  }\n}\n\nmutation MarkAllNotificationsRead {\n  markAllNotificationsRead\n}": typeof types.SignInDocument,
};
const documents: Documents = {
    "mutation SignIn($phone: String!, $password: String!) {\n  login(phone: $phone, password: $password) {\n    accessToken\n    expiresAt\n  }\n}\n\nquery Resident {\n  me {\n    id\n    displayName\n    community {\n      name\n    }\n    pointsAccount {\n      balance\n      tier\n      nextTier\n      pointsToNextTier\n    }\n  }\n}\n\nquery Opportunities {\n  opportunities(first: 20, filter: {hasSpots: true}) {\n    edges {\n      node {\n        id\n        title\n        location\n        shifts {\n          id\n          startsAt\n          endsAt\n          timeZone\n          spotsLeft\n        }\n      }\n    }\n  }\n}\n\nmutation SignUpForShift($shiftId: ID!) {\n  signUp(shiftId: $shiftId) {\n    id\n    status\n    waitlistPosition\n    shift {\n      id\n      spotsLeft\n    }\n  }\n}\n\nquery Notifications {\n  me {\n    id\n    unreadNotificationCount\n    notifications(first: 20) {\n      edges {\n        node {\n          id\n          sequence\n          kind\n          title\n          body\n          createdAt\n          read\n        }\n      }\n    }\n  }\n}\n\nmutation MarkAllNotificationsRead {\n  markAllNotificationsRead\n}": types.SignInDocument,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 *
 *
 * @example
 * ```ts
 * const query = graphql(`query GetUser($id: ID!) { user(id: $id) { name } }`);
 * ```
 *
 * The query argument is unknown!
 * Please regenerate the types.
 */
export function graphql(source: string): unknown;

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation SignIn($phone: String!, $password: String!) {\n  login(phone: $phone, password: $password) {\n    accessToken\n    expiresAt\n  }\n}\n\nquery Resident {\n  me {\n    id\n    displayName\n    community {\n      name\n    }\n    pointsAccount {\n      balance\n      tier\n      nextTier\n      pointsToNextTier\n    }\n  }\n}\n\nquery Opportunities {\n  opportunities(first: 20, filter: {hasSpots: true}) {\n    edges {\n      node {\n        id\n        title\n        location\n        shifts {\n          id\n          startsAt\n          endsAt\n          timeZone\n          spotsLeft\n        }\n      }\n    }\n  }\n}\n\nmutation SignUpForShift($shiftId: ID!) {\n  signUp(shiftId: $shiftId) {\n    id\n    status\n    waitlistPosition\n    shift {\n      id\n      spotsLeft\n    }\n  }\n}\n\nquery Notifications {\n  me {\n    id\n    unreadNotificationCount\n    notifications(first: 20) {\n      edges {\n        node {\n          id\n          sequence\n          kind\n          title\n          body\n          createdAt\n          read\n        }\n      }\n    }\n  }\n}\n\nmutation MarkAllNotificationsRead {\n  markAllNotificationsRead\n}"): (typeof documents)["mutation SignIn($phone: String!, $password: String!) {\n  login(phone: $phone, password: $password) {\n    accessToken\n    expiresAt\n  }\n}\n\nquery Resident {\n  me {\n    id\n    displayName\n    community {\n      name\n    }\n    pointsAccount {\n      balance\n      tier\n      nextTier\n      pointsToNextTier\n    }\n  }\n}\n\nquery Opportunities {\n  opportunities(first: 20, filter: {hasSpots: true}) {\n    edges {\n      node {\n        id\n        title\n        location\n        shifts {\n          id\n          startsAt\n          endsAt\n          timeZone\n          spotsLeft\n        }\n      }\n    }\n  }\n}\n\nmutation SignUpForShift($shiftId: ID!) {\n  signUp(shiftId: $shiftId) {\n    id\n    status\n    waitlistPosition\n    shift {\n      id\n      spotsLeft\n    }\n  }\n}\n\nquery Notifications {\n  me {\n    id\n    unreadNotificationCount\n    notifications(first: 20) {\n      edges {\n        node {\n          id\n          sequence\n          kind\n          title\n          body\n          createdAt\n          read\n        }\n      }\n    }\n  }\n}\n\nmutation MarkAllNotificationsRead {\n  markAllNotificationsRead\n}"];

export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}

export type DocumentType<TDocumentNode extends DocumentNode<any, any>> = TDocumentNode extends DocumentNode<  infer TType,  any>  ? TType  : never;