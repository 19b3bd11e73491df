import type { ApolloServerPlugin } from '@apollo/server';
import {
  Kind,
  OperationTypeNode,
  type DocumentNode,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';
import { errors as joseErrors, jwtVerify, SignJWT } from 'jose';
import { z } from 'zod';
import { ForbiddenError } from './errors';

/**
 * How a subgraph knows a request comes from the gateway: the gateway signs a short-lived token (HS256 over
 * GATEWAY_SHARED_SECRET, audience = the subgraph's name) and sends it in this header on every subgraph request.
 * The secret itself never travels, and a token seen in a log or a proxy opens one subgraph for a minute at most.
 * See docs/decisions/0006-subgraph-access.md.
 */
export const GATEWAY_CREDENTIAL_HEADER = 'x-taoyuan-gateway';
const ISSUER = 'taoyuan-gateway';
const TOKEN_SECONDS = 60;
const MIN_SECRET_LENGTH = 32;

export const gatewayAccessConfigShape = {
  GATEWAY_SHARED_SECRET: z
    .string()
    .min(MIN_SECRET_LENGTH, `must be at least ${MIN_SECRET_LENGTH} characters (e.g. openssl rand -base64 32)`)
    .optional()
    .describe('secret the gateway signs its subgraph credentials with; the same value on the gateway and subgraphs'),
  GATEWAY_SHARED_SECRET_PREVIOUS: z
    .string()
    .min(MIN_SECRET_LENGTH)
    .optional()
    .describe('subgraphs only: the secret being rotated out, still accepted'),
};

export interface GatewayAccessConfig {
  NODE_ENV: string;
  GATEWAY_SHARED_SECRET?: string;
  GATEWAY_SHARED_SECRET_PREVIOUS?: string;
}

const keyOf = (secret: string) => new TextEncoder().encode(secret);

/** The gateway's side: a credential per subgraph, re-signed at half its lifetime so signing is not per request. */
export function createGatewayCredentialSigner(secret: string): (subgraph: string) => Promise<string> {
  const key = keyOf(secret);
  const current = new Map<string, { token: Promise<string>; renewAt: number }>();
  return (subgraph) => {
    const now = Date.now();
    const cached = current.get(subgraph);
    if (cached && cached.renewAt > now) return cached.token;
    const token = new SignJWT({})
      .setProtectedHeader({ alg: 'HS256' })
      .setIssuer(ISSUER)
      .setAudience(subgraph)
      .setIssuedAt(Math.floor(now / 1000))
      .setExpirationTime(Math.floor(now / 1000) + TOKEN_SECONDS)
      .sign(key);
    current.set(subgraph, { token, renewAt: now + (TOKEN_SECONDS / 2) * 1000 });
    return token;
  };
}

export type GatewayCredentialVerifier = (header: string | undefined) => Promise<boolean>;

/** The subgraph's side: is this header a valid, unexpired credential for this subgraph? Never throws. */
export function createGatewayCredentialVerifier(
  subgraph: string,
  secrets: readonly (string | undefined)[],
): GatewayCredentialVerifier {
  const keys = secrets.filter((secret): secret is string => Boolean(secret)).map(keyOf);
  // Verified tokens until their expiry: the gateway reuses one token for half a minute, so this stays tiny.
  const verified = new Map<string, number>();
  return async (header) => {
    if (!header || keys.length === 0) return false;
    const now = Date.now();
    const until = verified.get(header);
    if (until !== undefined) {
      if (until > now) return true;
      verified.delete(header);
    }
    for (const key of keys) {
      try {
        const { payload } = await jwtVerify(header, key, {
          algorithms: ['HS256'],
          issuer: ISSUER,
          audience: subgraph,
          requiredClaims: ['exp', 'iat'],
          maxTokenAge: TOKEN_SECONDS + 5,
          clockTolerance: 5,
        });
        if (verified.size > 64) verified.clear();
        verified.set(header, (payload.exp ?? 0) * 1000);
        return true;
      } catch (error) {
        if (!(error instanceof joseErrors.JOSEError)) throw error;
      }
    }
    return false;
  };
}

/** Root fields only the gateway may select: `_entities` reads any entity by id, `_service` prints the schema. */
export const GATEWAY_ONLY_FIELDS: ReadonlySet<string> = new Set(['_entities', '_service']);

/** Whether the operation selects a gateway-only root field, through aliases, inline fragments or fragment spreads. */
export function selectsGatewayOnlyField(document: DocumentNode, operation: OperationDefinitionNode): boolean {
  if (operation.operation !== OperationTypeNode.QUERY) return false;
  const fragments = new Map(
    document.definitions.flatMap((definition) =>
      definition.kind === Kind.FRAGMENT_DEFINITION ? [[definition.name.value, definition.selectionSet] as const] : [],
    ),
  );
  const seen = new Set<string>();
  const selects = (set: SelectionSetNode): boolean =>
    set.selections.some((selection) => {
      if (selection.kind === Kind.FIELD) return GATEWAY_ONLY_FIELDS.has(selection.name.value);
      if (selection.kind === Kind.INLINE_FRAGMENT) return selects(selection.selectionSet);
      const name = selection.name.value;
      const fragment = fragments.get(name);
      if (!fragment || seen.has(name)) return false;
      seen.add(name);
      return selects(fragment);
    });
  return selects(operation.selectionSet);
}

export interface GatewayAwareContext {
  fromGateway?: boolean;
}

/** Refuses `_entities` and `_service` (FORBIDDEN, reason GATEWAY_ONLY) unless the request carries the credential. */
export function gatewayOnlyPlugin<Context extends GatewayAwareContext>(): ApolloServerPlugin<Context> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ document, operation, contextValue }) {
          if (contextValue.fromGateway === true || !operation) return;
          if (selectsGatewayOnlyField(document, operation))
            throw new ForbiddenError('GATEWAY_ONLY', '_entities and _service answer only the gateway').withHttpStatus();
        },
      };
    },
  };
}
