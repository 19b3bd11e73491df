import type { TypedDocumentNode } from '@graphql-typed-document-node/core';

/** What the client preset leaves of a document in `replaceDocumentWithHash` mode: its manifest hash. */
interface PersistedDocument {
  __meta__?: { hash?: string };
}

/** A GraphQL error as the gateway words it (in the Accept-Language asked for), with its stable code. */
export class GraphqlRequestError extends Error {
  constructor(
    message: string,
    readonly code: string | undefined,
  ) {
    super(message);
  }
}

export interface GraphqlClient {
  request<Result, Variables>(document: TypedDocumentNode<Result, Variables>, variables: Variables): Promise<Result>;
}

/**
 * Sends each operation as its SHA-256 alone (an automatic-persisted-query request): the gateway finds the text in
 * the trusted-documents manifest, and in `PERSISTED_DOCUMENTS=required` mode runs nothing else.
 */
export function graphqlClient(gatewayUrl: string, token: () => string | undefined): GraphqlClient {
  async function request<Result, Variables>(
    document: TypedDocumentNode<Result, Variables>,
    variables: Variables,
  ): Promise<Result> {
    const hash = (document as PersistedDocument).__meta__?.hash;
    if (!hash) throw new Error('This document has no manifest hash: run pnpm codegen');
    const headers: Record<string, string> = { 'content-type': 'application/json', 'accept-language': 'zh-CN' };
    const bearer = token();
    if (bearer) headers.authorization = `Bearer ${bearer}`;
    const response = await fetch(gatewayUrl, {
      method: 'POST',
      headers,
      body: JSON.stringify({ variables, extensions: { persistedQuery: { version: 1, sha256Hash: hash } } }),
    });
    const body = (await response.json()) as {
      data?: unknown;
      errors?: { message: string; extensions?: { code?: string } }[];
    };
    const error = body.errors?.[0];
    if (error) throw new GraphqlRequestError(error.message, error.extensions?.code);
    if (!response.ok || body.data == null) throw new GraphqlRequestError(`网关返回 ${response.status}`, undefined);
    return body.data as Result;
  }
  return { request };
}
