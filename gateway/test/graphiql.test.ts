import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { RunningHttpServer } from '@taoyuan/service-kit';
import { startIdentityForTests, type IdentityUnderTest } from '@taoyuan/identity/testing';
import { chromiumLaunchOptions } from '@taoyuan/testing';
import { chromium, type Browser } from 'playwright-core';
import { writeGraphiqlBundle } from '../src/graphiql';
import { startGatewayForTests } from './support/start-gateway';

let identity: IdentityUnderTest;
let development: RunningHttpServer;
let production: RunningHttpServer;
let browser: Browser;

beforeAll(async () => {
  identity = await startIdentityForTests();
  development = await startGatewayForTests({ identity }, { NODE_ENV: 'development' });
  production = await startGatewayForTests({ identity }, { NODE_ENV: 'production' });
  browser = await chromium.launch(chromiumLaunchOptions());
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await development?.stop();
  await production?.stop();
  await identity?.stop();
});

const asBrowser = { accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8' };

describe('the offline GraphiQL', () => {
  it('loads with no network beyond the gateway, and signs a demo resident in from its saved operation', async () => {
    const gatewayOrigin = new URL(development.url).origin;
    const blocked: string[] = [];
    const context = await browser.newContext();
    await context.route('**/*', async (route) => {
      const url = route.request().url();
      if (url.startsWith(gatewayOrigin) || url.startsWith('data:') || url.startsWith('blob:')) return route.continue();
      blocked.push(url);
      return route.abort();
    });
    const page = await context.newPage();
    await page.goto(development.url, { timeout: 90_000 });
    await page.locator('.graphiql-container').waitFor({ timeout: 90_000 });
    // The saved operations are tabs; the first signs in as 张伟 with its variables filled in.
    await page.getByText('SignIn', { exact: false }).first().waitFor();
    await page.locator('.graphiql-execute-button').click();
    const result = page.locator('.result-window');
    await result.getByText('accessToken').waitFor({ timeout: 30_000 });
    expect(await result.textContent()).toContain('张伟');
    expect(blocked).toEqual([]);
    await context.close();
  }, 180_000);

  it('is off in production unless GRAPHIQL says so; GraphQL over GET and POST still answers', async () => {
    const page = await fetch(production.url, { headers: asBrowser });
    expect(await page.text()).not.toContain('id="graphiql"');
    const asset = await fetch(new URL('/graphiql/app.js', production.url));
    expect(asset.status).toBe(404);

    const html = await fetch(development.url, { headers: asBrowser });
    expect(html.headers.get('content-type')).toMatch(/text\/html/);
    expect(await html.text()).toContain('id="graphiql"');
    const query = await fetch(`${development.url}?query=${encodeURIComponent('{ __typename }')}`, {
      headers: { 'apollo-require-preflight': 'true' },
    });
    expect(await query.json()).toEqual({ data: { __typename: 'Query' } });
  });

  it('pnpm build writes the same bundle a development gateway builds, so a deployed gateway needs no bundler', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'graphiql-build-'));
    try {
      const files = await writeGraphiqlBundle(dir);
      expect(files).toEqual(expect.arrayContaining(['app.js', 'app.css', 'editor.worker.js', 'graphql.worker.js']));
      for (const file of ['app.js', 'app.css']) {
        const served = await fetch(new URL(`/graphiql/${file}`, development.url));
        expect(served.status).toBe(200);
        expect(Buffer.from(await served.arrayBuffer()).equals(readFileSync(path.join(dir, file)))).toBe(true);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
