import type { RunningHttpServer } from '@taoyuan/service-kit';
import { TEST_GATEWAY_SECRET } from '@taoyuan/testing';
import { startIdentityForTests, type IdentityUnderTest } from '@taoyuan/identity/testing';
import {
  startOrganizationsForTests,
  type OrganizationsUnderTest,
} from '@taoyuan/organizations/test/support/start-organizations';
import { loadGatewayConfig } from '../../src/config';
import { startGateway } from '../../src/gateway';

/** The subgraphs a test runs as their own HTTP servers behind the gateway; a missing one is simply not routed. */
export interface SubgraphsBehind {
  identity?: IdentityUnderTest;
  organizations?: OrganizationsUnderTest;
}

export type GatewayEnv = Record<string, string | undefined>;

/** The environment every test gateway shares, pointed at `behind`; `overrides` win over it. */
export function gatewayTestEnv(behind: SubgraphsBehind = {}, overrides: GatewayEnv = {}): GatewayEnv {
  return {
    PORT: '0',
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'silent',
    GATEWAY_SHARED_SECRET: TEST_GATEWAY_SECRET,
    ...(behind.identity ? { JWKS_URL: behind.identity.jwksUrl, IDENTITY_URL: behind.identity.url } : {}),
    ...(behind.organizations ? { ORGANIZATIONS_URL: behind.organizations.url } : {}),
    ...overrides,
  };
}

export function startGatewayForTests(
  behind: SubgraphsBehind = {},
  overrides: GatewayEnv = {},
): Promise<RunningHttpServer> {
  return startGateway(loadGatewayConfig(gatewayTestEnv(behind, overrides)));
}

/** Identity, and the seeded organizations subgraph trusting identity's keys, as two HTTP servers. */
export async function startIdentityAndOrganizations(): Promise<{
  identity: IdentityUnderTest;
  organizations: OrganizationsUnderTest;
}> {
  const identity = await startIdentityForTests();
  try {
    const organizations = await startOrganizationsForTests({ seed: true, env: { JWKS_URL: identity.jwksUrl } });
    return { identity, organizations };
  } catch (error) {
    await identity.stop();
    throw error;
  }
}
