import { copyFile, mkdir } from 'node:fs/promises';
import path from 'node:path';
import { build, stop } from 'esbuild';

export const WEB_DIR = path.resolve(__dirname, '../web');
/** Where `pnpm --filter @taoyuan/resident-web build` puts the page (not dist/: `pnpm build` owns that). */
export const SITE_DIR = path.resolve(__dirname, '../www');

/**
 * Bundles the page with esbuild into `outDir`: app.js (the code and its generated documents — hashes, no query
 * text), index.html and app.css. Nothing is loaded from anywhere but the page's own server and the gateway.
 */
export async function buildSite(outDir = SITE_DIR): Promise<void> {
  await mkdir(outDir, { recursive: true });
  try {
    await build({
      entryPoints: [path.join(WEB_DIR, 'main.ts')],
      outfile: path.join(outDir, 'app.js'),
      bundle: true,
      format: 'iife',
      minify: true,
      sourcemap: true,
      target: ['chrome120', 'firefox120', 'safari17'],
      tsconfig: path.join(WEB_DIR, 'tsconfig.json'),
      logLevel: 'warning',
    });
  } finally {
    // esbuild's service process would otherwise keep the caller (a server, a test run) from exiting.
    await stop();
  }
  await copyFile(path.join(WEB_DIR, 'index.html'), path.join(outDir, 'index.html'));
  await copyFile(path.join(WEB_DIR, 'app.css'), path.join(outDir, 'app.css'));
}

if (require.main === module) {
  buildSite().then(
    () => console.log(`resident-web: built into ${path.relative(process.cwd(), SITE_DIR) || '.'}`),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}
