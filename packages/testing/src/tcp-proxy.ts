import { createServer, connect, type AddressInfo, type Server, type Socket } from 'node:net';

export interface TcpProxyOptions {
  /** Where connections are forwarded, e.g. the test PostgreSQL. */
  targetHost: string;
  targetPort: number;
  /** Port to listen on; 0 (default) picks a free one, kept across cut() and restore(). */
  port?: number;
}

/**
 * What happens to new connections while the proxy is cut:
 * - `refuse`: the proxy stops listening, so connects fail with ECONNREFUSED, as when PostgreSQL is stopped;
 * - `hold`: connects are accepted and left waiting until restore(), as behind a network partition.
 */
export type CutMode = 'refuse' | 'hold';

export interface TcpProxy {
  readonly host: string;
  readonly port: number;
  /** `url` (e.g. a DATABASE_URL) with its host and port replaced by the proxy's. */
  rewrite(url: string): string;
  /** Destroys every open connection and refuses or holds new ones until restore(). */
  cut(mode?: CutMode): Promise<void>;
  restore(): Promise<void>;
  /** Connections accepted and forwarded so far (held ones count once forwarded). */
  readonly forwardedConnections: number;
  /** Connections accepted while cut in `hold` mode, waiting for restore(). */
  readonly heldConnections: number;
  close(): Promise<void>;
}

/**
 * A small TCP forwarder for fault injection: put it between a client (a DataSource, a kafkajs client) and its server
 * to cut the line under the client for real — open sockets are reset mid-conversation and new ones fail — then
 * restore it, without stopping a server other tests share.
 */
export async function startTcpProxy(options: TcpProxyOptions): Promise<TcpProxy> {
  const host = '127.0.0.1';
  const open = new Set<Socket>();
  const held: Socket[] = [];
  let state: 'open' | CutMode = 'open';
  let forwarded = 0;

  function forward(client: Socket): void {
    forwarded += 1;
    const upstream = connect({ host: options.targetHost, port: options.targetPort });
    open.add(client);
    open.add(upstream);
    const drop = () => {
      client.destroy();
      upstream.destroy();
      open.delete(client);
      open.delete(upstream);
    };
    client.on('error', drop).on('close', drop);
    upstream.on('error', drop).on('close', drop);
    client.pipe(upstream);
    upstream.pipe(client);
  }

  const server: Server = createServer((client) => {
    if (state === 'hold') {
      client.pause();
      client.on('error', () => client.destroy());
      held.push(client);
      return;
    }
    forward(client);
  });

  const listen = (port: number) =>
    new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => {
        server.off('error', reject);
        resolve();
      });
    });
  const stopListening = () =>
    new Promise<void>((resolve) => {
      if (!server.listening) return resolve();
      server.close(() => resolve());
    });

  await listen(options.port ?? 0);
  const port = (server.address() as AddressInfo).port;

  return {
    host,
    port,
    rewrite(url: string): string {
      const rewritten = new URL(url);
      rewritten.hostname = host;
      rewritten.port = String(port);
      return rewritten.toString();
    },
    async cut(mode: CutMode = 'refuse'): Promise<void> {
      state = mode;
      for (const socket of open) socket.destroy();
      open.clear();
      if (mode === 'refuse') await stopListening();
    },
    async restore(): Promise<void> {
      if (state === 'refuse') await listen(port);
      state = 'open';
      for (const client of held.splice(0)) {
        if (client.destroyed) continue;
        forward(client);
        client.resume();
      }
    },
    get forwardedConnections() {
      return forwarded;
    },
    get heldConnections() {
      return held.filter((client) => !client.destroyed).length;
    },
    async close(): Promise<void> {
      for (const socket of [...open, ...held]) socket.destroy();
      open.clear();
      held.length = 0;
      await stopListening();
    },
  };
}
