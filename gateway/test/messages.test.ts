import type { RunningHttpServer } from '@taoyuan/service-kit';
import { builders, graphqlRequest } from '@taoyuan/testing';
import { startIdentityForTests, type IdentityUnderTest } from '@taoyuan/identity/testing';
import { startGatewayForTests } from './support/start-gateway';

let identity: IdentityUnderTest;
let gateway: RunningHttpServer;
let englishByDefault: RunningHttpServer;
let residentToken: string;

beforeAll(async () => {
  identity = await startIdentityForTests();
  gateway = await startGatewayForTests({ identity });
  englishByDefault = await startGatewayForTests({ identity }, { DEFAULT_LOCALE: 'en' });
  residentToken = (await builders(gateway.url).login('13800000011', 'taoyuan-demo')).accessToken;
});
afterAll(async () => {
  await gateway?.stop();
  await englishByDefault?.stop();
  await identity?.stop();
});

async function firstError(query: string, headers: Record<string, string>, token?: string, url = gateway.url) {
  const response = await graphqlRequest(url, query, {}, { headers, ...(token ? { token } : {}) });
  const error = response.errors?.[0];
  if (!error) throw new Error(`expected an error, got ${JSON.stringify(response)}`);
  return error;
}

/** An empty Accept-Language (the test client asks for English unless told otherwise). */
const NO_LANGUAGE = { 'accept-language': '' };

const CASES = [
  {
    what: 'a FORBIDDEN reason raised by a subgraph',
    query: `mutation { grantRole(role: COMMUNITY_WORKER, userId: "6f1c2d3e-0000-4000-8002-000000000012") { id } }`,
    token: true,
    zh: '您没有执行此操作所需的角色',
    en: /roles/,
  },
  {
    what: 'a BAD_USER_INPUT by field',
    query: `mutation { requestRegistrationCode(phone: "12345") { expiresInSeconds } }`,
    token: false,
    zh: '手机号须为 11 位中国大陆手机号码（以 13–19 开头）',
    en: /mainland China mobile number/,
  },
  {
    what: 'a query limit of the gateway',
    query: `{ me { ${'community { grids { leader { '.repeat(5)}id${' } } }'.repeat(5)} } }`,
    token: true,
    zh: /^查询嵌套过深（上限 12，实际 \d+）$/,
    en: /depth/i,
  },
  {
    what: 'UNAUTHENTICATED',
    query: `{ me { id } }`,
    token: false,
    zh: '请先登录',
    en: /sign/i,
  },
];

describe('error messages in Chinese and English', () => {
  it.each(CASES)('$what: the two texts with the same code and reason', async ({ query, token, zh, en }) => {
    const chinese = await firstError(query, { 'accept-language': 'zh-CN' }, token ? residentToken : undefined);
    const english = await firstError(query, { 'accept-language': 'en' }, token ? residentToken : undefined);
    expect(chinese.message).toEqual(typeof zh === 'string' ? zh : expect.stringMatching(zh));
    expect(english.message).toMatch(en);
    expect(chinese.extensions?.code).toBe(english.extensions?.code);
    expect(chinese.extensions?.reason).toBe(english.extensions?.reason);
    expect(chinese.extensions?.field).toBe(english.extensions?.field);
    expect(chinese.extensions?.messageEn).toBe(english.message);
  });

  it('answers in zh-CN when the request names no language, and in DEFAULT_LOCALE when configured', async () => {
    const [unauthenticated] = CASES.filter((entry) => entry.what === 'UNAUTHENTICATED');
    expect((await firstError(unauthenticated.query, NO_LANGUAGE)).message).toBe('请先登录');
    expect((await firstError(unauthenticated.query, NO_LANGUAGE, undefined, englishByDefault.url)).message).toMatch(
      /sign/i,
    );
    expect(
      (await firstError(unauthenticated.query, { 'accept-language': 'zh' }, undefined, englishByDefault.url)).message,
    ).toBe('请先登录');
  });
});
