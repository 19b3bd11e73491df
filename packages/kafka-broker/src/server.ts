import net from 'node:net';
import { Broker, type BrokerConfig } from './broker';
import { Connection } from './connection';

/** The TCP side: accepts connections and tears everything down on stop. */
export class BrokerServer {
  private readonly server: net.Server;
  private readonly connections = new Set<Connection>();
  readonly broker: Broker;

  constructor(config: BrokerConfig) {
    this.broker = new Broker(config);
    this.server = net.createServer((socket) => {
      const connection = new Connection(socket, this.broker, (closed) => this.connections.delete(closed));
      this.connections.add(connection);
    });
  }

  listen(port: number, host: string): Promise<number> {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, host, () => {
        this.server.off('error', reject);
        const address = this.server.address();
        if (address === null || typeof address === 'string') {
          reject(new Error('kafka-broker: server has no TCP address'));
          return;
        }
        this.broker.advertisedHost = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host;
        this.broker.advertisedPort = address.port;
        resolve(address.port);
      });
    });
  }

  async stop(): Promise<void> {
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    for (const connection of this.connections) connection.destroy();
    this.connections.clear();
    this.broker.close();
    await closed;
  }
}
