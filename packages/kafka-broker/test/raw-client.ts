import net from 'node:net';

/**
 * A minimal Kafka client over a raw socket, for what kafkajs's public API cannot express (resending a batch with a
 * chosen producer id and sequence). Requests are encoded and responses decoded by kafkajs's own protocol modules,
 * so the bytes are exactly what kafkajs would send.
 */
/* eslint-disable @typescript-eslint/no-require-imports -- kafkajs's internal protocol modules ship no types and are loaded by path */
const encodeRequest = require('kafkajs/src/protocol/request') as (args: {
  correlationId: number;
  clientId: string;
  request: KafkaRequest;
}) => Promise<{ buffer: Buffer }>;
const produceV7 = require('kafkajs/src/protocol/requests/produce/v7/request') as (args: ProduceArgs) => KafkaRequest;
const produceV7Response = require('kafkajs/src/protocol/requests/produce/v7/response') as {
  decode(data: Buffer): Promise<ProduceResponse>;
};
const initProducerIdV1 = require('kafkajs/src/protocol/requests/initProducerId/v1/request') as (args: {
  transactionalId: string | null;
  transactionTimeout: number;
}) => KafkaRequest;
const initProducerIdV1Response = require('kafkajs/src/protocol/requests/initProducerId/v1/response') as {
  decode(data: Buffer): Promise<{ errorCode: number; producerId: string; producerEpoch: number }>;
};
/* eslint-enable @typescript-eslint/no-require-imports */

interface KafkaRequest {
  apiKey: number;
  apiVersion: number;
  encode(): Promise<unknown>;
}

interface ProduceArgs {
  acks: number;
  timeout: number;
  transactionalId: string | null;
  producerId: number;
  producerEpoch: number;
  compression: number;
  topicData: {
    topic: string;
    partitions: { partition: number; firstSequence: number; messages: { key?: string; value: string }[] }[];
  }[];
}

export interface ProduceResponse {
  topics: { topicName: string; partitions: { partition: number; errorCode: number; baseOffset: string }[] }[];
}

export class RawClient {
  private correlationId = 0;
  private buffered = Buffer.alloc(0);
  private readonly pending = new Map<number, (body: Buffer) => void>();
  /** Resolves when the broker (or we) closed the connection. */
  readonly closed: Promise<void>;

  private constructor(private readonly socket: net.Socket) {
    this.closed = new Promise((resolve) => socket.once('close', () => resolve()));
    socket.on('data', (chunk: Buffer) => {
      this.buffered = Buffer.concat([this.buffered, chunk]);
      while (this.buffered.length >= 4 && this.buffered.length >= 4 + this.buffered.readInt32BE(0)) {
        const size = this.buffered.readInt32BE(0);
        const correlationId = this.buffered.readInt32BE(4);
        const body = this.buffered.subarray(8, 4 + size);
        this.buffered = this.buffered.subarray(4 + size);
        this.pending.get(correlationId)?.(body);
        this.pending.delete(correlationId);
      }
    });
  }

  static connect(host: string, port: number): Promise<RawClient> {
    return new Promise((resolve, reject) => {
      const socket = net.connect(port, host, () => resolve(new RawClient(socket)));
      socket.once('error', reject);
    });
  }

  private async send(request: KafkaRequest): Promise<Buffer> {
    const correlationId = ++this.correlationId;
    const frame = await encodeRequest({ correlationId, clientId: 'raw-test-client', request });
    return new Promise((resolve) => {
      this.pending.set(correlationId, resolve);
      this.socket.write(frame.buffer);
    });
  }

  /** Sends InitProducerId and resolves with the answer, or with 'closed' if the broker hangs up instead. */
  async initProducerIdOrClose(): Promise<{ errorCode: number } | 'closed'> {
    const answer = this.send(initProducerIdV1({ transactionalId: null, transactionTimeout: 60_000 })).then(
      async (body) => ({ errorCode: (await initProducerIdV1Response.decode(body)).errorCode }),
    );
    return Promise.race([answer, this.closed.then(() => 'closed' as const)]);
  }

  async initProducerId(): Promise<{ producerId: number; producerEpoch: number }> {
    const response = await initProducerIdV1Response.decode(
      await this.send(initProducerIdV1({ transactionalId: null, transactionTimeout: 60_000 })),
    );
    return { producerId: Number(response.producerId), producerEpoch: response.producerEpoch };
  }

  /** Sends one batch to one partition with the given producer id, epoch and first sequence. */
  async produce(args: {
    topic: string;
    partition: number;
    producerId: number;
    producerEpoch: number;
    firstSequence: number;
    messages: { key?: string; value: string }[];
  }): Promise<{ errorCode: number; baseOffset: number }> {
    const request = produceV7({
      acks: -1,
      timeout: 5000,
      transactionalId: null,
      producerId: args.producerId,
      producerEpoch: args.producerEpoch,
      compression: 0,
      topicData: [
        {
          topic: args.topic,
          partitions: [{ partition: args.partition, firstSequence: args.firstSequence, messages: args.messages }],
        },
      ],
    });
    const response = await produceV7Response.decode(await this.send(request));
    const result = response.topics[0].partitions[0];
    return { errorCode: result.errorCode, baseOffset: Number(result.baseOffset) };
  }

  close(): void {
    this.socket.destroy();
  }
}
