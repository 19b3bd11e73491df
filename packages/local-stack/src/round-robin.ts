import { createServer, request, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RoundRobin {
  /** The balanced URL: the targets' path on the balancer's origin, e.g. http://127.0.0.1:40123/graphql. */
  url: string;
  /** Requests forwarded to each target so far, in the targets' order. */
  served(): number[];
  close(): Promise<void>;
}

/**
 * Replicas of one subgraph behind one URL, request by request in turn, as a Kubernetes Service or docker's service
 * name spreads them (closer than TCP round-robin: the gateway keeps its connections alive, so per connection one
 * replica could get every request). Local runs and the replica tests put it in front of extra processes.
 */
export async function startRoundRobin(targets: readonly string[]): Promise<RoundRobin> {
  if (targets.length === 0) throw new Error('round-robin needs at least one target');
  const origins = targets.map((target) => new URL(target));
  const counts = targets.map(() => 0);
  let next = 0;
  const forward = (incoming: IncomingMessage, outgoing: ServerResponse) => {
    const index = next;
    next = (next + 1) % origins.length;
    counts[index] += 1;
    const target = origins[index];
    const upstream = request(
      {
        host: target.hostname,
        port: target.port,
        method: incoming.method,
        path: incoming.url,
        headers: { ...incoming.headers, host: target.host },
      },
      (answer) => {
        outgoing.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(outgoing);
      },
    );
    // A replica that is gone answers as a gateway in front of nothing would: the caller sees a 502 and retries.
    upstream.on('error', () => {
      if (!outgoing.headersSent) outgoing.writeHead(502, { 'content-type': 'text/plain' });
      outgoing.end('replica unavailable');
    });
    incoming.pipe(upstream);
  };
  const server = createServer(forward);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}${origins[0].pathname}`,
    served: () => [...counts],
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
