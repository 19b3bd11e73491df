import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook, WebhookVerificationError } from 'standardwebhooks';

/** What Taoyuan sends: the Standard Webhooks body (type, timestamp, data) plus the source event's id. */
export interface TaoyuanWebhook {
  type: string;
  timestamp: string;
  eventId: string;
  data: Record<string, unknown>;
}

export interface ReceiverOptions {
  /** The endpoint's signing secret (whsec_…), as createWebhookEndpoint or rotateWebhookSecret answered it. */
  secret: string;
  port?: number;
  host?: string;
  /** Your processing; called once per webhook-id, however often Taoyuan delivers it. */
  onMessage(message: TaoyuanWebhook, webhookId: string): Promise<void> | void;
  /** How many webhook-ids to remember (a real receiver keeps them in its database, with the processing). */
  rememberIds?: number;
}

export interface RunningReceiver {
  url: string;
  server: Server;
  stop(): Promise<void>;
}

const MAX_BODY_BYTES = 256 * 1024;

async function rawBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) throw new Error('body too large');
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * A minimal webhook receiver: verifies the signature over the raw body with the `standardwebhooks` package (which
 * also refuses timestamps more than five minutes off, against replayed captures), answers 2xx quickly, and processes
 * each webhook-id once: delivery is at least once, so duplicates are expected and harmless.
 */
export async function startWebhookReceiver(options: ReceiverOptions): Promise<RunningReceiver> {
  const verifier = new Webhook(options.secret);
  const seen = new Set<string>();
  const remember = options.rememberIds ?? 100_000;
  const server = createServer((req, res) => {
    if (req.method !== 'POST') {
      res.writeHead(405).end();
      return;
    }
    rawBody(req)
      .then(async (body) => {
        let message: TaoyuanWebhook;
        try {
          message = verifier.verify(body, req.headers as Record<string, string>) as TaoyuanWebhook;
        } catch (error) {
          if (error instanceof WebhookVerificationError) {
            res.writeHead(401).end('bad signature');
            return;
          }
          throw error;
        }
        const webhookId = String(req.headers['webhook-id']);
        if (!seen.has(webhookId)) {
          await options.onMessage(message, webhookId);
          seen.add(webhookId);
          if (seen.size > remember) seen.delete(seen.values().next().value!);
        }
        res.writeHead(204).end();
      })
      .catch(() => {
        // Not processed: a 5xx makes Taoyuan try again later.
        if (!res.headersSent) res.writeHead(500).end();
      });
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, options.host ?? '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${options.host ?? '127.0.0.1'}:${port}/`,
    server,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
