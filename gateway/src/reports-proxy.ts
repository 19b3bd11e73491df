import type { Logger } from '@taoyuan/service-kit';
import { defaultSubgraphUrl, SUBGRAPHS, subgraphUrlVariable } from './subgraphs';

interface ProxyRequest {
  path: string;
  originalUrl: string;
}

interface ProxyResponse {
  status(code: number): ProxyResponse;
  setHeader(name: string, value: string): unknown;
  type(contentType: string): ProxyResponse;
  send(body: Buffer | string): unknown;
}

/** What of express the proxy uses (the gateway carries no express types of its own). */
interface RouteHost {
  get(paths: string[], handler: (req: ProxyRequest, res: ProxyResponse) => Promise<void>): unknown;
}

/** The public report documents assets renders, served from the gateway's host for the notice board and Excel. */
const REPORT_PATHS = ['/reports/transparency.csv', '/reports/transparency.html'];
const PASSED_HEADERS = ['content-type', 'content-disposition', 'cache-control', 'content-security-policy'];

/**
 * Forwards GET of the report documents to the assets subgraph (its origin from ASSETS_URL, else the default), so
 * anyone reaches them through the one public host. Only these two paths and their query string pass.
 */
export function mountReportsProxy(app: RouteHost, urls: Record<string, string | undefined>, logger: Logger): void {
  const assets = SUBGRAPHS.find((entry) => entry.name === 'assets');
  if (!assets) return;
  const origin = new URL(urls[subgraphUrlVariable(assets.name)] ?? defaultSubgraphUrl(assets)).origin;
  app.get(REPORT_PATHS, async (req, res) => {
    const query = req.originalUrl.includes('?') ? req.originalUrl.slice(req.originalUrl.indexOf('?')) : '';
    try {
      const upstream = await fetch(`${origin}${req.path}${query}`, { signal: AbortSignal.timeout(15_000) });
      res.status(upstream.status);
      for (const name of PASSED_HEADERS) {
        const value = upstream.headers.get(name);
        if (value) res.setHeader(name, value);
      }
      res.send(Buffer.from(await upstream.arrayBuffer()));
    } catch (error) {
      logger.warn({ err: error }, 'transparency report unavailable');
      res.status(503).type('text/plain; charset=utf-8').send('The report is unavailable right now; try again shortly');
    }
  });
}
