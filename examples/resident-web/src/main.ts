import { buildSite, SITE_DIR } from './build';
import { startResidentWeb } from './server';

/**
 * `pnpm --filter @taoyuan/resident-web start`: builds the page and serves it on PORT (default 4100). The gateway must
 * list this origin in CORS_ORIGINS, e.g. `CORS_ORIGINS=http://127.0.0.1:4100 pnpm start`.
 */
async function main() {
  const gatewayUrl = process.env.GATEWAY_URL ?? 'http://127.0.0.1:4000/graphql';
  await buildSite(SITE_DIR);
  const web = await startResidentWeb({
    siteDir: SITE_DIR,
    gatewayUrl,
    port: Number(process.env.PORT ?? 4100),
    host: process.env.HOST ?? '127.0.0.1',
  });
  console.log(`resident-web: ${web.url} (gateway ${gatewayUrl}; its CORS_ORIGINS must include ${web.origin})`);
  const stop = () => void web.stop().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
