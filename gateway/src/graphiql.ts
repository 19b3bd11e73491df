import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { HttpServerOptions, Logger } from '@taoyuan/service-kit';

type App = Parameters<NonNullable<HttpServerOptions['routes']>>[0];

interface Asset {
  contentType: string;
  body: Uint8Array;
}

const SOURCE_DIR = path.resolve(__dirname, '../graphiql');
const CACHE_DIR = path.resolve(__dirname, '../node_modules/.cache/graphiql');
/**
 * Where `pnpm build` writes the bundle: gateway/dist/graphiql/ beside the compiled gateway. A deployed gateway serves
 * it as it is, so esbuild, GraphiQL, React and Monaco stay development dependencies and out of the image. Running from
 * src/ there is no such folder, and the bundle is built on first use.
 */
const PREBUILT_DIR = path.join(__dirname, 'graphiql');
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

/** The bundle's identity: our sources and the versions of what they bundle. */
function bundleKey(): string {
  const fromGateway = createRequire(path.join(SOURCE_DIR, 'app.tsx'));
  const hash = createHash('sha256');
  for (const file of readdirSync(SOURCE_DIR).sort())
    hash.update(file).update(readFileSync(path.join(SOURCE_DIR, file)));
  for (const name of ['graphiql', 'react', 'react-dom', 'esbuild'])
    hash.update(readFileSync(fromGateway.resolve(`${name}/package.json`)));
  return hash.digest('hex').slice(0, 16);
}

/** A bundle written to `dir` before (by a build or an earlier run), or undefined when there is none. */
function readBundle(dir: string): Map<string, Asset> | undefined {
  try {
    const files = readdirSync(dir).filter((name) => ASSET_TYPES[path.extname(name)]);
    if (!files.includes('app.js')) return undefined;
    return new Map(
      files.map((name) => [
        name,
        {
          contentType: ASSET_TYPES[path.extname(name)] ?? 'application/octet-stream',
          body: readFileSync(path.join(dir, name)),
        },
      ]),
    );
  } catch {
    return undefined;
  }
}

/**
 * The bundle from node_modules/.cache when this very bundle was built before (a restart), else built and kept there:
 * building takes seconds on a small machine.
 */
export async function cachedGraphiqlBundle(): Promise<Map<string, Asset>> {
  const dir = path.join(CACHE_DIR, bundleKey());
  const cached = readBundle(dir);
  if (cached) return cached;
  const assets = await bundleGraphiql();
  try {
    // Written aside and renamed, so a gateway starting beside this one never reads half a bundle.
    const staging = `${dir}.${process.pid}`;
    mkdirSync(staging, { recursive: true });
    for (const [name, asset] of assets) writeFileSync(path.join(staging, name), asset.body);
    try {
      renameSync(staging, dir);
    } finally {
      rmSync(staging, { recursive: true, force: true });
    }
  } catch {
    // Another process got there first, or the install is read-only: this one serves its bundle from memory.
  }
  return assets;
}

/**
 * The build step (`pnpm build`, scripts/build.mjs): writes the bundle to `dir` (gateway/dist/graphiql), reusing the
 * development cache when the sources and versions have not changed.
 */
export async function writeGraphiqlBundle(dir: string = PREBUILT_DIR): Promise<string[]> {
  const assets = await cachedGraphiqlBundle();
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  for (const [name, asset] of assets) writeFileSync(path.join(dir, name), asset.body);
  return [...assets.keys()].sort();
}

/** The build's bundle when the gateway runs from dist/, else the one built here on first use. */
async function graphiqlAssets(): Promise<Map<string, Asset>> {
  return readBundle(PREBUILT_DIR) ?? cachedGraphiqlBundle();
}

/**
 * GET /graphql from a browser (it asks for HTML) answers the IDE; every other GET or POST goes on to GraphQL. The
 * bundle is read (or, from sources, built) on the first visit, so a gateway that never shows the IDE never pays for it.
 */
export function mountGraphiql(app: App, logger: Logger): void {
  let bundle: Promise<Map<string, Asset>> | undefined;
  const assets = () => {
    bundle ??= graphiqlAssets().catch((error: unknown) => {
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
