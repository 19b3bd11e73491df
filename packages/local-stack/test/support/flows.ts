import { DEMO_ORGANIZATIONS, DEMO_USERS, TAOYUANJU } from '@taoyuan/demo-data';
import { builders, eventually, graphqlData, graphqlRequest } from '@taoyuan/testing';

export const VOLUNTEER_TEAM = DEMO_ORGANIZATIONS[0];

/** The demo people, signed in through the gateway. */
export async function signInDemo(gatewayUrl: string) {
  const build = builders(gatewayUrl);
  const [committee, worker, teamLeader] = await Promise.all([
    build.login('13800000001', 'taoyuan-demo'),
    build.login('13800000002', 'taoyuan-demo'),
    build.login('13800000013', 'taoyuan-demo'),
  ]);
  return { committee: committee.accessToken, worker: worker.accessToken, teamLeader: teamLeader.accessToken };
}

export function gql(gatewayUrl: string) {
  return <T>(query: string, variables: Record<string, unknown>, token: string) =>
    graphqlData<T>(gatewayUrl, query, variables, { token });
}

export async function setPointsPerHour(
  gatewayUrl: string,
  committeeToken: string,
  pointsPerHour: number,
  environmentMultiplier = 1,
): Promise<void> {
  await gql(gatewayUrl)(
    `mutation($c: ID!, $input: PointsRuleInput!) { setPointsRule(communityId: $c, input: $input) { pointsPerHour } }`,
    {
      c: TAOYUANJU.id,
      input: {
        pointsPerHour,
        dailyCap: 100_000,
        categoryMultipliers: [{ category: 'ENVIRONMENT', multiplier: environmentMultiplier }],
      },
    },
    committeeToken,
  );
}

/**
 * A published opportunity with one shift starting in `startsInMs`: the organizer gets the check-in code, the volunteers
 * sign up before it starts.
 */
export async function openShift(
  gatewayUrl: string,
  organizerToken: string,
  options: { startsAt?: Date; durationMs?: number; capacity?: number; organizationId?: string; title?: string } = {},
) {
  const call = gql(gatewayUrl);
  const startsAt = options.startsAt ?? new Date(Date.now() + 2_500);
  const endsAt = new Date(startsAt.getTime() + (options.durationMs ?? 3_600_000));
  const created = await call<{ createOpportunity: { id: string } }>(
    `mutation($input: CreateOpportunityInput!) { createOpportunity(input: $input) { id } }`,
    {
      input: {
        title: options.title ?? '周末社区环境整治',
        description: '清理楼道杂物、绿化带捡拾垃圾，请穿运动鞋。',
        category: 'ENVIRONMENT',
        location: '桃源居中心广场',
        organizationId: options.organizationId ?? null,
      },
    },
    organizerToken,
  );
  const shift = await call<{ addShift: { id: string; checkInCode: string } }>(
    `mutation($o: ID!, $input: AddShiftInput!) { addShift(opportunityId: $o, input: $input) { id checkInCode } }`,
    {
      o: created.createOpportunity.id,
      input: { startsAt: startsAt.toISOString(), endsAt: endsAt.toISOString(), capacity: options.capacity ?? 10 },
    },
    organizerToken,
  );
  await call(
    `mutation($o: ID!) { publishOpportunity(id: $o) { status } }`,
    { o: created.createOpportunity.id },
    organizerToken,
  );
  return {
    opportunityId: created.createOpportunity.id,
    shiftId: shift.addShift.id,
    checkInCode: shift.addShift.checkInCode,
    startsAt,
    endsAt,
  };
}

export async function signUp(gatewayUrl: string, volunteerToken: string, shiftId: string): Promise<string> {
  const data = await gql(gatewayUrl)<{ signUp: { id: string; status: string } }>(
    `mutation($s: ID!) { signUp(shiftId: $s) { id status } }`,
    { s: shiftId },
    volunteerToken,
  );
  return data.signUp.id;
}

/** Check in with the code, check out, and have the organizer verify `hours`. Waits for the shift to start first. */
export async function attendAndVerify(
  gatewayUrl: string,
  shift: { startsAt: Date; checkInCode: string },
  signUpId: string,
  volunteerToken: string,
  organizerToken: string,
  hours: number,
) {
  const call = gql(gatewayUrl);
  const wait = shift.startsAt.getTime() - Date.now() + 50;
  if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
  await call(
    `mutation($id: ID!, $code: String!) { checkIn(signUpId: $id, code: $code) { status } }`,
    { id: signUpId, code: shift.checkInCode },
    volunteerToken,
  );
  await call(`mutation($id: ID!) { checkOut(signUpId: $id) { status } }`, { id: signUpId }, volunteerToken);
  const verifiedAt = Date.now();
  await call(
    `mutation VerifyAttendance($id: ID!, $h: Float!) { verifyAttendance(signUpId: $id, hours: $h) { status } }`,
    { id: signUpId, h: hours },
    organizerToken,
  );
  return verifiedAt;
}

/**
 * A new resident claims a demo household and a committee member confirms it (decision 0007: only then do points
 * count toward tiers). Waits until volunteering has heard of the confirmation.
 */
export async function confirmResidence(
  gatewayUrl: string,
  resident: { id: string; accessToken: string },
  committeeToken: string,
  home = DEMO_USERS[0].home,
): Promise<void> {
  const call = gql(gatewayUrl);
  await call(
    `mutation($address: HouseholdAddressInput!) { claimHousehold(address: $address) { id } }`,
    { address: { building: home.building, unit: home.unit, room: home.room } },
    resident.accessToken,
  );
  await call(`mutation($u: ID!) { confirmResidence(userId: $u) { id } }`, { u: resident.id }, committeeToken);
  await eventually(
    async () =>
      (
        await call<{ me: { pointsAccount: { residenceConfirmed: boolean } } }>(
          `query { me { pointsAccount { residenceConfirmed } } }`,
          {},
          resident.accessToken,
        )
      ).me.pointsAccount.residenceConfirmed || undefined,
    'volunteering to hear of the confirmed residence',
  );
}

export async function joinOrganization(gatewayUrl: string, token: string, organizationId: string): Promise<string> {
  const data = await gql(gatewayUrl)<{ joinOrganization: { id: string; status: string } }>(
    `mutation($o: ID!) { joinOrganization(organizationId: $o) { id status } }`,
    { o: organizationId },
    token,
  );
  return data.joinOrganization.id;
}

export interface Candidate {
  id: string;
  targetRole: string;
  user: { id: string };
}

export async function eligibleCandidates(
  gatewayUrl: string,
  token: string,
  organizationId: string,
): Promise<Candidate[]> {
  const response = await graphqlRequest<{ promotionCandidates: { edges: { node: Candidate }[] } }>(
    gatewayUrl,
    `query($o: ID!) { promotionCandidates(organizationId: $o, status: ELIGIBLE, first: 100) { edges { node { id targetRole user { id } } } } }`,
    { o: organizationId },
    { token },
  );
  return response.data?.promotionCandidates.edges.map((edge) => edge.node) ?? [];
}
