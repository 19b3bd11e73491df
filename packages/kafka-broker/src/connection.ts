import type { Socket } from 'node:net';
import type { Broker } from './broker';
import { apisByKey } from './protocol/apis';
import { ApiKey } from './protocol/api';
import { Reader } from './protocol/reader';
import { Writer } from './protocol/writer';
import { ConnectionSession } from './security/session';

/** Larger frames are refused (Kafka's socket.request.max.bytes default is 100 MiB). */
const MAX_FRAME_BYTES = 100 * 1024 * 1024;
/**
 * Before SASL succeeds a client has nothing to send but these, all tiny: refusing big frames early keeps an
 * unauthenticated peer from making the broker buffer 100 MiB (Kafka caps them at 512 bytes by default).
 */
const MAX_UNAUTHENTICATED_FRAME_BYTES = 64 * 1024;
const BEFORE_AUTHENTICATION: ReadonlySet<number> = new Set([
  ApiKey.ApiVersions,
  ApiKey.SaslHandshake,
  ApiKey.SaslAuthenticate,
]);

/**
 * One client connection. Requests are handled strictly one after another and answered in order (clients pipeline
 * and match by correlation id, but Kafka guarantees order per connection). A request that waits — a long-polling
 * Fetch, a JoinGroup — therefore only holds up its own connection; kafkajs keeps Fetch on a connection of its own.
 */
export class Connection {
  private chunks: Buffer[] = [];
  private bufferedBytes = 0;
  private readonly frames: Buffer[] = [];
  private processing = false;
  private clientId = '';
  private requestCount = 0;
  private readonly openedAt = Date.now();
  private readonly session: ConnectionSession;

  constructor(
    private readonly socket: Socket,
    private readonly broker: Broker,
    private readonly onClose: (connection: Connection) => void,
  ) {
    this.session = new ConnectionSession(broker.config.security);
    socket.setNoDelay(true);
    socket.on('data', (chunk) => this.receive(chunk));
    socket.on('error', () => socket.destroy());
    socket.on('close', () => {
      this.broker.logger.debug(
        { remote: this.remote, clientId: this.clientId, requests: this.requestCount, ms: Date.now() - this.openedAt },
        'kafka-broker: connection closed',
      );
      this.onClose(this);
    });
    broker.logger.debug({ remote: this.remote }, 'kafka-broker: connection opened');
  }

  private get remote(): string {
    return `${this.socket.remoteAddress ?? '?'}:${this.socket.remotePort ?? '?'}`;
  }

  destroy(): void {
    this.socket.destroy();
  }

  /** Splits the byte stream into frames: a chunk may hold several frames, or only part of one. */
  private receive(chunk: Buffer): void {
    this.chunks.push(chunk);
    this.bufferedBytes += chunk.length;
    while (this.bufferedBytes >= 4) {
      const head = this.contiguous(4);
      const size = head.readInt32BE(0);
      const limit = this.session.authenticated ? MAX_FRAME_BYTES : MAX_UNAUTHENTICATED_FRAME_BYTES;
      if (size < 0 || size > limit) {
        this.broker.logger.warn({ remote: this.remote, size }, 'kafka-broker: invalid frame size, closing');
        this.socket.destroy();
        return;
      }
      if (this.bufferedBytes < 4 + size) break;
      const buffered = this.contiguous(4 + size);
      this.frames.push(buffered.subarray(4, 4 + size));
      const rest = buffered.subarray(4 + size);
      this.chunks = rest.length > 0 ? [rest] : [];
      this.bufferedBytes = rest.length;
    }
    void this.processFrames();
  }

  /** Makes the first chunk hold at least `size` bytes, concatenating only when a frame spans chunks. */
  private contiguous(size: number): Buffer {
    if (this.chunks[0].length < size) this.chunks = [Buffer.concat(this.chunks)];
    return this.chunks[0];
  }

  private async processFrames(): Promise<void> {
    if (this.processing) return;
    this.processing = true;
    try {
      let frame: Buffer | undefined;
      while (
        (frame = this.frames.shift()) !== undefined &&
        !this.socket.destroyed &&
        !this.session.closeAfterResponse
      ) {
        await this.handle(frame);
      }
    } catch (error) {
      this.broker.logger.error(
        { remote: this.remote, clientId: this.clientId, err: error },
        'kafka-broker: failed to handle request, closing connection',
      );
      this.socket.destroy();
    } finally {
      this.processing = false;
    }
  }

  private async handle(frame: Buffer): Promise<void> {
    const reader = new Reader(frame);
    const apiKey = reader.int16();
    const apiVersion = reader.int16();
    const correlationId = reader.int32();
    this.requestCount++;
    const api = apisByKey.get(apiKey);
    const supported = api !== undefined && apiVersion >= api.minVersion && apiVersion <= api.maxVersion;
    if (!api || (!supported && apiKey !== ApiKey.ApiVersions)) {
      this.clientId = reader.classicNullableString() ?? '';
      this.broker.logger.warn(
        { remote: this.remote, clientId: this.clientId, apiKey, apiVersion },
        'kafka-broker: unsupported API or version, closing connection',
      );
      this.socket.destroy();
      return;
    }
    // KIP-511: an ApiVersions version newer than ours may have a header we cannot know, so nothing past the
    // correlation id is read; the handler answers UNSUPPORTED_VERSION in the v0 layout every client can parse.
    const flexible = supported && api.flexibleFrom !== undefined && apiVersion >= api.flexibleFrom;
    if (supported) {
      this.clientId = reader.classicNullableString() ?? '';
      reader.flexible = flexible;
      reader.tags(); // request header v2 ends with tagged fields
    }
    if (!this.session.authenticated && !BEFORE_AUTHENTICATION.has(apiKey)) {
      // Kafka closes the connection too: answering would tell an unauthenticated peer something.
      this.broker.logger.warn(
        { remote: this.remote, clientId: this.clientId, apiKey },
        'kafka-broker: request before SASL authentication, closing connection',
      );
      this.socket.destroy();
      return;
    }
    const body = await api.handle(reader, {
      broker: this.broker,
      apiVersion,
      clientId: this.clientId,
      clientHost: this.socket.remoteAddress ?? '',
      session: this.session,
      flexible,
      response: (initialCapacity) => new Writer(initialCapacity, flexible),
    });
    if (body === null || this.socket.destroyed) return;
    const payload = body.toBuffer();
    // Response header v1 (flexible versions) adds an empty tagged-field section, except for ApiVersions, whose
    // response header stays v0 so that a client can read it before knowing what the broker speaks (KIP-511).
    const headerTags = flexible && apiKey !== ApiKey.ApiVersions ? 1 : 0;
    const header = Buffer.alloc(8 + headerTags);
    header.writeInt32BE(payload.length + 4 + headerTags, 0);
    header.writeInt32BE(correlationId, 4);
    this.socket.cork();
    this.socket.write(header);
    const flushed = this.socket.write(payload);
    this.socket.uncork();
    if (this.session.closeAfterResponse) {
      this.broker.logger.warn(
        { remote: this.remote, clientId: this.clientId, mechanism: this.session.mechanism },
        'kafka-broker: SASL authentication failed, closing connection',
      );
      this.socket.end();
      return;
    }
    // Back-pressure: stop reading requests of a client that does not read its (fetch) responses.
    if (!flushed && !this.socket.destroyed) {
      await new Promise<void>((resolve) => {
        const done = (): void => {
          this.socket.off('drain', done);
          this.socket.off('close', done);
          resolve();
        };
        this.socket.on('drain', done);
        this.socket.on('close', done);
      });
    }
  }
}
