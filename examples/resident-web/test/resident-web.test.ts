import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromiumLaunchOptions, freePort } from '@taoyuan/testing';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { startSystem, type SystemUnderTest } from '../../../packages/local-stack/test/support/start-system';
import { buildSite } from '../src/build';
import { startResidentWeb, type RunningResidentWeb } from '../src/server';

const MANIFEST = path.resolve(__dirname, '../web/gql/persisted-documents.json');
const trusted = new Set(Object.keys(JSON.parse(readFileSync(MANIFEST, 'utf8')) as Record<string, string>));

let siteDir: string;
let system: SystemUnderTest;
let web: RunningResidentWeb;
let browser: Browser;

beforeAll(async () => {
  siteDir = mkdtempSync(path.join(tmpdir(), 'resident-web-'));
  await buildSite(siteDir);
  const port = await freePort();
  // As in production: the gateway runs only the manifest's documents and lets only this page's origin in.
  system = await startSystem({
    env: {
      CORS_ORIGINS: `http://127.0.0.1:${port}`,
      PERSISTED_DOCUMENTS: 'required',
      PERSISTED_DOCUMENTS_MANIFEST: MANIFEST,
    },
  });
  web = await startResidentWeb({ siteDir, gatewayUrl: system.gatewayUrl, port });
  browser = await chromium.launch(chromiumLaunchOptions());
}, 300_000);

afterAll(async () => {
  await browser?.close();
  await web?.stop();
  await system?.stop();
  if (siteDir) rmSync(siteDir, { recursive: true, force: true });
});

interface Watched {
  context: BrowserContext;
  page: Page;
  /** Requests to anyone but the page's server and the gateway: refused, and listed here. */
  blocked: string[];
  /** The bodies of the page's GraphQL requests. */
  graphqlBodies: Record<string, unknown>[];
}

async function openPage(): Promise<Watched> {
  const allowed = [web.origin, new URL(system.gatewayUrl).origin];
  const blocked: string[] = [];
  const graphqlBodies: Record<string, unknown>[] = [];
  const context = await browser.newContext({ locale: 'zh-CN' });
  await context.route('**/*', async (route) => {
    const url = route.request().url();
    if (allowed.some((origin) => url.startsWith(`${origin}/`))) return route.continue();
    blocked.push(url);
    return route.abort();
  });
  const page = await context.newPage();
  page.on('request', (request) => {
    if (request.url() === system.gatewayUrl && request.method() === 'POST')
      graphqlBodies.push(JSON.parse(request.postData() ?? '{}') as Record<string, unknown>);
  });
  await page.goto(web.url);
  return { context, page, blocked, graphqlBodies };
}

async function signIn(page: Page, phone: string, password: string): Promise<void> {
  await page.getByLabel('手机号').fill(phone);
  await page.getByLabel('密码').fill(password);
  await page.getByRole('button', { name: '登录' }).click();
}

describe('the example resident page, in a real browser on its own origin', () => {
  it('signs 张伟 in, shows his points and tier, signs him up for a shift and shows the confirmation live — sending hashes only', async () => {
    const { context, page, blocked, graphqlBodies } = await openPage();
    try {
      await signIn(page, '13800000011', 'taoyuan-demo');
      await page.getByText('张伟，您好').waitFor({ timeout: 30_000 });
      // The demo data: 90 points, 10 short of ACTIVIST.
      expect(await page.locator('#points-balance').innerText()).toBe('90');
      expect(await page.locator('#points-tier').innerText()).toBe('志愿者');
      expect(await page.locator('#points-next').innerText()).toBe('还差 10 分成为积极分子');

      await page.getByText('（实时）').waitFor({ timeout: 30_000 });
      const before = await page.locator('#notification-list li').count();

      const visit = page.locator('#opportunity-list > li', { hasText: '独居长者探访' });
      await visit.getByRole('button', { name: '报名' }).first().click();
      await visit.getByText('已报名').waitFor({ timeout: 30_000 });
      expect(await page.locator('#opportunity-error').innerText()).toBe('');

      // Without reloading: the sign-up's event → notifications → the gateway's stream → the page.
      const confirmation = page.locator('#notification-list li.fresh[data-kind="SIGN_UP_CONFIRMED"]');
      await confirmation.waitFor({ timeout: 60_000 });
      expect(await confirmation.innerText()).toContain('报名成功');
      expect(await page.locator('#notification-list li').count()).toBe(before + 1);

      // The live one is unread; "全部标为已读" clears the marks on the page and on the server (seen after a reload).
      expect(await confirmation.getAttribute('class')).toContain('unread');
      expect(Number(/\d+/.exec(await page.locator('#unread-count').innerText())?.[0])).toBeGreaterThan(0);
      await page.getByRole('button', { name: '全部标为已读' }).click();
      await page.getByText('0 条未读').waitFor({ timeout: 30_000 });
      expect(await page.locator('#notification-list li.unread').count()).toBe(0);
      await page.reload();
      await signIn(page, '13800000011', 'taoyuan-demo');
      await page.locator('#notification-list li', { hasText: '报名成功' }).first().waitFor({ timeout: 30_000 });
      expect(await page.locator('#unread-count').innerText()).toBe('0 条未读');
      expect(await page.locator('#notification-list li.unread').count()).toBe(0);

      expect(blocked).toEqual([]);
      expect(graphqlBodies.length).toBeGreaterThanOrEqual(4);
      for (const body of graphqlBodies) {
        expect(body).not.toHaveProperty('query');
        const hash = (body.extensions as { persistedQuery: { sha256Hash: string } }).persistedQuery.sha256Hash;
        expect(trusted.has(hash)).toBe(true);
      }
    } finally {
      await context.close();
    }
  }, 120_000);

  it('shows the gateway’s Chinese message when the password is wrong', async () => {
    const { context, page, blocked } = await openPage();
    try {
      await signIn(page, '13800000012', 'not-the-password');
      const error = page.locator('#sign-in-error');
      await error.filter({ hasText: /\S/ }).waitFor({ timeout: 30_000 });
      expect(await error.innerText()).toMatch(/[\u4e00-\u9fff]/);
      expect(await page.locator('#resident').isHidden()).toBe(true);
      expect(blocked).toEqual([]);
    } finally {
      await context.close();
    }
  }, 60_000);
});
