import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { RunningHttpServer } from '@taoyuan/service-kit';
import { chromiumLaunchOptions } from '@taoyuan/testing';
import { chromium, type Browser } from 'playwright-core';
import { startGatewayForTests } from './support/start-gateway';

/** A web app's origin: serves one empty page, from which the test calls the gateway as that app's code would. */
async function startWebOrigin(): Promise<{ server: Server; origin: string }> {
  const server = createServer((_req, res) => {
    res.setHeader('content-type', 'text/html; charset=utf-8');
    res.end('<!doctype html><title>web app</title>');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

let allowedApp: Awaited<ReturnType<typeof startWebOrigin>>;
let otherApp: Awaited<ReturnType<typeof startWebOrigin>>;
let gateway: RunningHttpServer;
let browser: Browser;

beforeAll(async () => {
  allowedApp = await startWebOrigin();
  otherApp = await startWebOrigin();
  gateway = await startGatewayForTests({}, { CORS_ORIGINS: allowedApp.origin });
  browser = await chromium.launch(chromiumLaunchOptions());
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await gateway?.stop();
  await new Promise((resolve) => allowedApp?.server.close(resolve));
  await new Promise((resolve) => otherApp?.server.close(resolve));
});

/** fetch() from a page of `origin`, with the headers that make the browser send a preflight first. */
async function callFromBrowser(origin: string): Promise<unknown> {
  const page = await browser.newPage();
  try {
    await page.goto(origin);
    return await page.evaluate(async (url) => {
      try {
        const response = await fetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'apollo-require-preflight': 'true' },
          body: JSON.stringify({ query: '{ __typename }' }),
        });
        return await response.json();
      } catch (error) {
        return { refusedByBrowser: String(error) };
      }
    }, gateway.url);
  } finally {
    await page.close();
  }
}

describe('CORS from a real browser', () => {
  it('lets a web app on a configured origin call the gateway', async () => {
    expect(await callFromBrowser(allowedApp.origin)).toEqual({ data: { __typename: 'Query' } });
  });

  it('refuses an origin that is not configured: the page never sees the answer', async () => {
    expect(await callFromBrowser(otherApp.origin)).toEqual({ refusedByBrowser: expect.stringMatching(/fetch/i) });
  });
});
