import { createRequire } from 'node:module';
import path from 'node:path';
import type { HttpServerOptions, Logger } from '@taoyuan/service-kit';

type App = Parameters<NonNullable<HttpServerOptions['routes']>>[0];

interface Asset {
  contentType: string;
  body: Uint8Array;
}

const SOURCE_DIR = path.resolve(__dirname, '../graphiql');
const ASSET_TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
};

/** Where Monaco's workers live: beside @graphiql/react, whose dependency monaco-editor and monaco-graphql are. */
function workerEntries(): Record<string, string> {
  const fromGateway = createRequire(path.join(SOURCE_DIR, 'app.tsx'));
  const fromGraphiql = createRequire(fromGateway.resolve('graphiql'));
  const fromReact = createRequire(fromGraphiql.resolve('@graphiql/react'));
  const monaco = path.dirname(fromReact.resolve('monaco-editor/package.json'));
  const monacoGraphql = path.dirname(fromReact.resolve('monaco-graphql/package.json'));
  return {
    'editor.worker': path.join(monaco, 'esm/vs/editor/editor.worker.js'),
    'json.worker': path.join(monaco, 'esm/vs/language/json/json.worker.js'),
    'graphql.worker': path.join(monacoGraphql, 'esm/graphql.worker.js'),
  };
}

/**
 * Bundles GraphiQL, React and Monaco from node_modules with esbuild, in memory, once per process: the IDE then needs
 * no CDN and no font service, and works where the community's network reaches only the gateway.
 */
export async function bundleGraphiql(): Promise<Map<string, Asset>> {
  const esbuild = await import('esbuild');
  const result = await esbuild.build({
    entryPoints: { app: path.join(SOURCE_DIR, 'app.tsx'), ...workerEntries() },
    bundle: true,
    write: false,
    outdir: '/graphiql',
    format: 'esm',
    splitting: false,
    minify: true,
    target: ['chrome120', 'firefox120', 'safari17'],
    define: { 'process.env.NODE_ENV': '"production"' },
    loader: { '.ttf': 'dataurl', '.woff': 'dataurl', '.woff2': 'dataurl' },
    jsx: 'automatic',
    logLevel: 'silent',
    tsconfig: path.join(SOURCE_DIR, 'tsconfig.json'),
  });
  const assets = new Map<string, Asset>();
  for (const file of result.outputFiles) {
    const name = path.basename(file.path);
    const contentType = ASSET_TYPES[path.extname(name)];
    if (contentType) assets.set(name, { contentType, body: file.contents });
  }
  return assets;
}

const PAGE = `<!doctype html>
<html lang="zh-CN">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <title>桃源 Taoyuan · GraphiQL</title>
    <base href="/graphiql/" />
    <link rel="stylesheet" href="/graphiql/app.css" />
    <style>html, body, #graphiql { height: 100%; margin: 0; }</style>
  </head>
  <body>
    <div id="graphiql">Loading GraphiQL…</div>
    <script type="module" src="/graphiql/app.js"></script>
  </body>
</html>`;

/** Everything from the gateway's own origin; workers are scripts of that origin too. */
const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "worker-src 'self' blob:",
  "style-src 'self' 'unsafe-inline'",
  "font-src 'self' data:",
  "img-src 'self' data:",
  "connect-src 'self'",
].join('; ');

/**
 * GET /graphql from a browser (it asks for HTML) answers the IDE; every other GET or POST goes on to GraphQL. The
 * bundle is built on the first visit, so a gateway that never shows the IDE never pays for it.
 */
export function mountGraphiql(app: App, logger: Logger): void {
  let bundle: Promise<Map<string, Asset>> | undefined;
  const assets = () => {
    bundle ??= bundleGraphiql().catch((error: unknown) => {
      bundle = undefined;
      throw error;
    });
    return bundle;
  };
  app.get('/graphql', (req, res, next) => {
    if (req.accepts(['application/json', 'application/graphql-response+json', 'text/html']) !== 'text/html')
      return next();
    if (typeof req.query.query === 'string') return next();
    res.setHeader('content-security-policy', CONTENT_SECURITY_POLICY);
    res.type('html').send(PAGE);
  });
  app.get('/graphiql/:file', (req, res) => {
    assets().then(
      (files) => {
        const asset = files.get(req.params.file);
        if (!asset) {
          res.status(404).type('text/plain').send('not found');
          return;
        }
        res.setHeader('content-type', asset.contentType);
        res.setHeader('cache-control', 'public, max-age=3600');
        res.send(Buffer.from(asset.body));
      },
      (error: unknown) => {
        logger.error({ err: error }, 'GraphiQL bundle failed');
        res.status(500).type('text/plain').send('GraphiQL is unavailable');
      },
    );
  });
}
