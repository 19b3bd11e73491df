import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';

export interface ResidentWebOptions {
  /** The built page (buildSite's output). */
  siteDir: string;
  /** The gateway's GraphQL URL the page calls; its origin also serves /notifications/stream. */
  gatewayUrl: string;
  port?: number;
  host?: string;
}

export interface RunningResidentWeb {
  url: string;
  /** What the gateway's CORS_ORIGINS must list for this page. */
  origin: string;
  stop(): Promise<void>;
}

const FILES: Record<string, { file: string; type: string }> = {
  '/': { file: 'index.html', type: 'text/html; charset=utf-8' },
  '/index.html': { file: 'index.html', type: 'text/html; charset=utf-8' },
  '/app.js': { file: 'app.js', type: 'text/javascript; charset=utf-8' },
  '/app.js.map': { file: 'app.js.map', type: 'application/json; charset=utf-8' },
  '/app.css': { file: 'app.css', type: 'text/css; charset=utf-8' },
};

const escapeAttribute = (value: string) =>
  value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/**
 * The page's own static server, on its own origin (another one than the gateway's, as a real front-end would be):
 * the few built files, the gateway URL written into the page, and a Content-Security-Policy that lets the page talk
 * to this server and the gateway only.
 */
export async function startResidentWeb(options: ResidentWebOptions): Promise<RunningResidentWeb> {
  const gatewayOrigin = new URL(options.gatewayUrl).origin;
  const policy = [
    "default-src 'self'",
    `connect-src 'self' ${gatewayOrigin}`,
    "img-src 'self' data:",
    "object-src 'none'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
  const server = createServer((req, res) => {
    const entry = FILES[new URL(req.url ?? '/', 'http://page').pathname];
    if (!entry || (req.method !== 'GET' && req.method !== 'HEAD')) {
      res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('未找到');
      return;
    }
    readFile(path.join(options.siteDir, entry.file)).then(
      (content) => {
        const body =
          entry.file === 'index.html'
            ? content.toString('utf8').replace('__GATEWAY_URL__', escapeAttribute(options.gatewayUrl))
            : content;
        res.writeHead(200, {
          'content-type': entry.type,
          'cache-control': 'no-cache',
          'content-security-policy': policy,
          'x-content-type-options': 'nosniff',
        });
        res.end(req.method === 'HEAD' ? undefined : body);
      },
      () => {
        res
          .writeHead(500, { 'content-type': 'text/plain; charset=utf-8' })
          .end('页面尚未构建：pnpm --filter @taoyuan/resident-web build');
      },
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', resolve);
  });
  const { port } = server.address() as AddressInfo;
  const origin = `http://${options.host ?? '127.0.0.1'}:${port}`;
  return {
    url: `${origin}/`,
    origin,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
