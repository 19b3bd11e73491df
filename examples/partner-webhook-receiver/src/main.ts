import { startWebhookReceiver } from './webhook-receiver';

/** WEBHOOK_SECRET=whsec_… PORT=8080 pnpm --filter @taoyuan/partner-webhook-receiver start */
async function main() {
  const secret = process.env.WEBHOOK_SECRET;
  if (!secret?.startsWith('whsec_')) throw new Error('Set WEBHOOK_SECRET to the whsec_… secret of your endpoint');
  const receiver = await startWebhookReceiver({
    secret,
    port: Number(process.env.PORT ?? 8080),
    onMessage: (message, webhookId) => {
      process.stdout.write(`${JSON.stringify({ webhookId, ...message })}\n`);
    },
  });
  process.stderr.write(`listening on ${receiver.url} — register it with createWebhookEndpoint\n`);
  const stop = () => void receiver.stop().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((error: unknown) => {
  process.stderr.write(`${String(error)}\n`);
  process.exit(1);
});
