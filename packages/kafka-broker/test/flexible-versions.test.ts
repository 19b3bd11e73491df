import net from 'node:net';
import type { RunningBroker } from '../src';
import { fastConsumer, kafkaClient, startTestBroker, waitFor } from './helpers';

/**
 * The bytes newer clients (the Java client, librdkafka) exchange, written and read here by hand from the message
 * definitions in Apache Kafka's clients/src/main/resources/common/message, independently of the broker's codec.
 */

/** Sends one request frame and resolves with the response frame after its 4-byte size. */
function exchange(broker: RunningBroker, request: Buffer): Promise<Buffer> {
  const [host, port] = broker.brokers.split(':');
  return new Promise((resolve, reject) => {
    const socket = net.connect(Number(port), host, () => {
      const size = Buffer.alloc(4);
      size.writeInt32BE(request.length);
      socket.write(Buffer.concat([size, request]));
    });
    let received = Buffer.alloc(0);
    socket.on('data', (chunk: Buffer) => {
      received = Buffer.concat([received, chunk]);
      if (received.length >= 4 && received.length >= 4 + received.readInt32BE(0)) {
        socket.end();
        resolve(received.subarray(4, 4 + received.readInt32BE(0)));
      }
    });
    socket.on('error', reject);
    socket.on('close', () => reject(new Error('connection closed before a response')));
  });
}

const int16 = (value: number): Buffer => Buffer.from([(value >> 8) & 0xff, value & 0xff]);
const int32 = (value: number): Buffer => {
  const buffer = Buffer.alloc(4);
  buffer.writeInt32BE(value);
  return buffer;
};
const int64 = (value: number): Buffer => {
  const buffer = Buffer.alloc(8);
  buffer.writeBigInt64BE(BigInt(value));
  return buffer;
};
function uvarint(value: number): Buffer {
  const bytes: number[] = [];
  let rest = value;
  while (rest >= 0x80) {
    bytes.push((rest & 0x7f) | 0x80);
    rest >>>= 7;
  }
  bytes.push(rest);
  return Buffer.from(bytes);
}
/** Compact string and bytes: unsigned varint of length + 1, then the bytes. */
const compactBytes = (value: Buffer): Buffer => Buffer.concat([uvarint(value.length + 1), value]);
const compactString = (value: string): Buffer => compactBytes(Buffer.from(value));
const NO_TAGS = Buffer.from([0]);

/** Request header v2: the client id stays a classic int16-length string, then tagged fields. */
function headerV2(apiKey: number, apiVersion: number, correlationId: number): Buffer {
  return Buffer.concat([
    int16(apiKey),
    int16(apiVersion),
    int32(correlationId),
    int16(4),
    Buffer.from('java'),
    NO_TAGS,
  ]);
}

/** A cursor over a response, for the few primitive types these tests read. */
class Cursor {
  private offset = 0;
  constructor(private readonly buffer: Buffer) {}
  int8 = (): number => this.buffer.readInt8(this.advance(1));
  int16 = (): number => this.buffer.readInt16BE(this.advance(2));
  int32 = (): number => this.buffer.readInt32BE(this.advance(4));
  int64 = (): number => Number(this.buffer.readBigInt64BE(this.advance(8)));
  compactBytes = (): Buffer => {
    const start = this.advance(this.uvarint() - 1);
    return this.buffer.subarray(start, this.offset);
  };
  uvarint = (): number => {
    let value = 0;
    for (let shift = 0; ; shift += 7) {
      const byte = this.buffer[this.advance(1)];
      value |= (byte & 0x7f) << shift;
      if ((byte & 0x80) === 0) return value;
    }
  };
  int16Prefixed = (): string => {
    const length = this.int16();
    const start = this.advance(length);
    return this.buffer.toString('utf8', start, start + length);
  };
  compactString = (): string | null => {
    const length = this.uvarint() - 1;
    if (length < 0) return null;
    const start = this.advance(length);
    return this.buffer.toString('utf8', start, start + length);
  };
  get remaining(): number {
    return this.buffer.length - this.offset;
  }
  private advance(size: number): number {
    const start = this.offset;
    this.offset += size;
    if (this.offset > this.buffer.length) throw new Error('read past the end of the response');
    return start;
  }
}

/** One connection for several requests in turn (SASL state lives on the connection). */
async function openConnection(
  target: RunningBroker,
): Promise<{ send: (request: Buffer) => Promise<Buffer>; close: () => void }> {
  const [host, port] = target.brokers.split(':');
  const socket = await new Promise<net.Socket>((resolve, reject) => {
    const connected = net.connect(Number(port), host, () => resolve(connected));
    connected.once('error', reject);
  });
  let received = Buffer.alloc(0);
  let waiting: ((frame: Buffer) => void) | undefined;
  socket.on('data', (chunk: Buffer) => {
    received = Buffer.concat([received, chunk]);
    if (waiting && received.length >= 4 && received.length >= 4 + received.readInt32BE(0)) {
      const size = received.readInt32BE(0);
      const frame = received.subarray(4, 4 + size);
      received = received.subarray(4 + size);
      const resolve = waiting;
      waiting = undefined;
      resolve(frame);
    }
  });
  return {
    send: (request) =>
      new Promise((resolve) => {
        waiting = resolve;
        const size = Buffer.alloc(4);
        size.writeInt32BE(request.length);
        socket.write(Buffer.concat([size, request]));
      }),
    close: () => socket.destroy(),
  };
}

/** Sends a request with header v2 and checks response header v1; returns the body. */
async function callBroker(
  target: RunningBroker,
  apiKey: number,
  apiVersion: number,
  ...body: Buffer[]
): Promise<Cursor> {
  const correlationId = apiKey * 100 + apiVersion;
  const response = new Cursor(
    await exchange(target, Buffer.concat([headerV2(apiKey, apiVersion, correlationId), ...body])),
  );
  expect([response.int32(), response.uvarint()]).toEqual([correlationId, 0]);
  return response;
}

let broker: RunningBroker;
beforeAll(async () => {
  broker = await startTestBroker('flexible');
});
afterAll(() => broker.stop());

describe('ApiVersions (KIP-511)', () => {
  it('answers a version newer than it speaks with UNSUPPORTED_VERSION in the v0 layout, listing what it speaks', async () => {
    const body = Buffer.concat([compactString('apache-kafka-java'), compactString('4.0.0'), NO_TAGS]);
    const response = new Cursor(await exchange(broker, Buffer.concat([headerV2(18, 4, 7), body])));

    expect(response.int32()).toBe(7); // response header v0: correlation id only
    expect(response.int16()).toBe(35);
    const count = response.int32();
    const versions = new Map<number, [number, number]>();
    for (let i = 0; i < count; i++) versions.set(response.int16(), [response.int16(), response.int16()]);
    expect(response.remaining).toBe(0);
    expect(versions.get(18)).toEqual([0, 3]);
    expect(versions.get(3)).toEqual([0, 9]);
  });

  it('answers v3 with compact arrays and tagged fields, its response header staying v0', async () => {
    const body = Buffer.concat([compactString('apache-kafka-java'), compactString('3.7.0'), NO_TAGS]);
    const response = new Cursor(await exchange(broker, Buffer.concat([headerV2(18, 3, 8), body])));

    expect(response.int32()).toBe(8);
    expect(response.int16()).toBe(0);
    const count = response.uvarint() - 1;
    const keys: number[] = [];
    for (let i = 0; i < count; i++) {
      keys.push(response.int16());
      response.int16();
      response.int16();
      expect(response.uvarint()).toBe(0); // tagged fields of each entry
    }
    expect(response.int32()).toBe(0); // throttle time
    expect(response.uvarint()).toBe(0);
    expect(response.remaining).toBe(0);
    expect(keys).toEqual(expect.arrayContaining([0, 1, 2, 3, 8, 9, 10, 11, 12, 13, 14, 17, 18, 19, 22, 36]));
  });
});

describe('Metadata v9 (flexible)', () => {
  it('creates a topic and describes it in the compact layout with response header v1', async () => {
    const topicName = 'taoyuan.community.events.v1';
    const body = Buffer.concat([
      Buffer.from([2]), // compact array of one topic
      compactString(topicName),
      NO_TAGS,
      Buffer.from([1, 0, 0]), // allow auto-creation; no authorized operations
      NO_TAGS,
    ]);
    const response = new Cursor(await exchange(broker, Buffer.concat([headerV2(3, 9, 9), body])));

    expect(response.int32()).toBe(9);
    expect(response.uvarint()).toBe(0); // response header v1 tagged fields
    expect(response.int32()).toBe(0); // throttle time
    expect(response.uvarint() - 1).toBe(1); // one broker
    const nodeId = response.int32();
    expect(`${response.compactString()}:${response.int32()}`).toBe(broker.brokers);
    expect(response.compactString()).toBeNull(); // rack
    expect(response.uvarint()).toBe(0);
    expect(response.compactString()).not.toBeNull(); // cluster id
    expect(response.int32()).toBe(nodeId); // controller
    expect(response.uvarint() - 1).toBe(1);
    expect(response.int16()).toBe(0);
    expect(response.compactString()).toBe(topicName);
    expect(response.int8()).toBe(0); // not internal
    expect(response.uvarint() - 1).toBe(1); // one partition
    expect([response.int16(), response.int32(), response.int32()]).toEqual([0, 0, nodeId]);
    expect(response.int32()).toBe(-1); // leader epoch unknown
    expect([response.uvarint(), response.int32(), response.uvarint(), response.int32()]).toEqual([
      2,
      nodeId,
      2,
      nodeId,
    ]);
    expect(response.uvarint()).toBe(1); // no offline replicas
    expect(response.uvarint()).toBe(0);
    expect(response.int32()).toBe(-2147483648); // topic authorized operations not requested
    expect(response.uvarint()).toBe(0);
    expect(response.int32()).toBe(-2147483648);
    expect(response.uvarint()).toBe(0);
    expect(response.remaining).toBe(0);
  });
});

describe('Produce v9 and Fetch v12 (flexible)', () => {
  /** Fetch v12 of one partition from offset 0; returns the record batches of the response. */
  async function fetchV12(topic: string): Promise<{ highWatermark: number; records: Buffer }> {
    const partition = Buffer.concat([int32(0), int32(-1), int64(0), int32(-1), int64(-1), int32(1024 * 1024), NO_TAGS]);
    const body = Buffer.concat([
      ...[int32(-1), int32(100), int32(1), int32(1024 * 1024), Buffer.from([0]), int32(0), int32(-1)],
      ...[uvarint(2), compactString(topic), uvarint(2), partition, NO_TAGS],
      ...[uvarint(1), compactString(''), NO_TAGS], // no forgotten topics, no rack
    ]);
    const response = new Cursor(await exchange(broker, Buffer.concat([headerV2(1, 12, 11), body])));
    expect([response.int32(), response.uvarint()]).toEqual([11, 0]);
    expect([response.int32(), response.int16(), response.int32()]).toEqual([0, 0, 0]);
    expect(response.uvarint() - 1).toBe(1);
    expect(response.compactString()).toBe(topic);
    expect(response.uvarint() - 1).toBe(1);
    expect([response.int32(), response.int16()]).toEqual([0, 0]);
    const highWatermark = response.int64();
    response.int64(); // last stable offset
    response.int64(); // log start offset
    expect(response.uvarint()).toBe(1); // no aborted transactions
    expect(response.int32()).toBe(-1); // no preferred read replica
    const records = Buffer.from(response.compactBytes());
    expect([response.uvarint(), response.uvarint(), response.uvarint()]).toEqual([0, 0, 0]);
    expect(response.remaining).toBe(0);
    return { highWatermark, records };
  }

  it('serves what kafkajs produced over Fetch v12 and accepts it again over Produce v9, readable by kafkajs', async () => {
    const producer = kafkaClient(broker.brokers).producer();
    await producer.connect();
    await producer.send({ topic: 'flexible.source', messages: [{ key: '居民', value: '志愿服务 2 小时' }] });
    await producer.disconnect();

    const fetched = await fetchV12('flexible.source');
    expect(fetched.highWatermark).toBe(1);

    const metadata = Buffer.concat([
      uvarint(2),
      compactString('flexible.copy'),
      NO_TAGS,
      Buffer.from([1, 0, 0]),
      NO_TAGS,
    ]);
    await exchange(broker, Buffer.concat([headerV2(3, 9, 12), metadata])); // creates the topic
    const produceBody = Buffer.concat([
      ...[uvarint(0), int16(-1), int32(5000)], // no transactional id, acks=all
      ...[uvarint(2), compactString('flexible.copy'), uvarint(2), int32(0), compactBytes(fetched.records), NO_TAGS],
      ...[NO_TAGS, NO_TAGS],
    ]);
    const produced = new Cursor(await exchange(broker, Buffer.concat([headerV2(0, 9, 13), produceBody])));
    expect([produced.int32(), produced.uvarint()]).toEqual([13, 0]);
    expect(produced.uvarint() - 1).toBe(1);
    expect(produced.compactString()).toBe('flexible.copy');
    expect(produced.uvarint() - 1).toBe(1);
    expect([produced.int32(), produced.int16(), produced.int64()]).toEqual([0, 0, 0]); // partition, error, offset
    produced.int64(); // log append time
    expect(produced.int64()).toBe(0); // log start offset
    expect([produced.uvarint(), produced.uvarint(), produced.uvarint()]).toEqual([1, 0, 0]); // no record errors
    expect(produced.uvarint()).toBe(0);
    expect(produced.int32()).toBe(0); // throttle time
    expect(produced.uvarint()).toBe(0);
    expect(produced.remaining).toBe(0);

    const consumer = kafkaClient(broker.brokers).consumer({ groupId: 'flexible-reader', ...fastConsumer });
    const received: string[] = [];
    await consumer.connect();
    await consumer.subscribe({ topic: 'flexible.copy', fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ message }) => {
        received.push(`${message.key?.toString() ?? ''}:${message.value?.toString() ?? ''}`);
      },
    });
    try {
      await waitFor(() => received.length > 0, 20_000, 'kafkajs to read the copied batch');
    } finally {
      await consumer.disconnect();
    }
    expect(received).toEqual(['居民:志愿服务 2 小时']);
  });
});

describe('a consumer group in the flexible versions the Java client uses', () => {
  const group = 'java-consumers';
  const call = (apiKey: number, apiVersion: number, ...body: Buffer[]) =>
    callBroker(broker, apiKey, apiVersion, ...body);
  const topic = 'flexible.group';
  const NULL = uvarint(0);

  it('finds the coordinator, joins, syncs, heartbeats, commits, fetches offsets and leaves', async () => {
    await call(3, 9, uvarint(2), compactString(topic), NO_TAGS, Buffer.from([1, 0, 0]), NO_TAGS);

    const coordinator = await call(10, 3, compactString(group), Buffer.from([0]), NO_TAGS);
    expect([coordinator.int32(), coordinator.int16(), coordinator.compactString()]).toEqual([0, 0, null]);
    coordinator.int32();
    expect(`${coordinator.compactString()}:${coordinator.int32()}`).toBe(broker.brokers);

    const subscription = Buffer.from('订阅元数据');
    const joined = await call(
      11,
      9,
      ...[compactString(group), int32(10_000), int32(5_000), compactString(''), NULL, compactString('consumer')],
      ...[uvarint(2), compactString('range'), compactBytes(subscription), NO_TAGS],
      ...[NULL, NO_TAGS], // no reason
    );
    expect([joined.int32(), joined.int16()]).toEqual([0, 0]);
    const generation = joined.int32();
    expect([joined.compactString(), joined.compactString()]).toEqual(['consumer', 'range']);
    const leader = joined.compactString();
    expect(joined.int8()).toBe(0); // the leader assigns
    const memberId = joined.compactString() ?? '';
    expect(leader).toBe(memberId);
    expect(joined.uvarint() - 1).toBe(1);
    expect([joined.compactString(), joined.compactString()]).toEqual([memberId, null]);
    expect(Buffer.from(joined.compactBytes())).toEqual(subscription);

    const assignment = Buffer.from('分配：第 0 分区');
    const synced = await call(
      14,
      5,
      ...[compactString(group), int32(generation), compactString(memberId), NULL],
      ...[compactString('consumer'), compactString('range')],
      ...[uvarint(2), compactString(memberId), compactBytes(assignment), NO_TAGS, NO_TAGS],
    );
    expect([synced.int32(), synced.int16()]).toEqual([0, 0]);
    synced.compactString(); // protocol type and name: null or the group's
    synced.compactString();
    expect(Buffer.from(synced.compactBytes())).toEqual(assignment);

    const heartbeat = await call(
      12,
      4,
      compactString(group),
      int32(generation),
      compactString(memberId),
      NULL,
      NO_TAGS,
    );
    expect([heartbeat.int32(), heartbeat.int16(), heartbeat.uvarint()]).toEqual([0, 0, 0]);

    const committed = await call(
      8,
      8,
      ...[compactString(group), int32(generation), compactString(memberId), NULL],
      ...[uvarint(2), compactString(topic), uvarint(2), int32(0), int64(42), int32(-1), compactString('游标')],
      ...[NO_TAGS, NO_TAGS, NO_TAGS],
    );
    expect(committed.int32()).toBe(0);
    expect([committed.uvarint(), committed.compactString(), committed.uvarint()]).toEqual([2, topic, 2]);
    expect([committed.int32(), committed.int16()]).toEqual([0, 0]);

    const fetched = await call(
      9,
      7,
      ...[compactString(group), uvarint(2), compactString(topic), uvarint(2), int32(0), NO_TAGS],
      ...[Buffer.from([0]), NO_TAGS], // require stable: false
    );
    expect(fetched.int32()).toBe(0);
    expect([fetched.uvarint(), fetched.compactString(), fetched.uvarint()]).toEqual([2, topic, 2]);
    expect([fetched.int32(), fetched.int64(), fetched.int32()]).toEqual([0, 42, -1]);
    expect([fetched.compactString(), fetched.int16(), fetched.uvarint()]).toEqual(['游标', 0, 0]);

    const left = await call(
      13,
      5,
      compactString(group),
      uvarint(2),
      compactString(memberId),
      NULL,
      NULL,
      NO_TAGS,
      NO_TAGS,
    );
    expect([left.int32(), left.int16()]).toEqual([0, 0]);
    expect([left.uvarint(), left.compactString(), left.compactString(), left.int16()]).toEqual([2, memberId, null, 0]);
    expect([left.uvarint(), left.uvarint()]).toEqual([0, 0]);
    expect(left.remaining).toBe(0);
  });
});

describe('old and new versions side by side', () => {
  it('Metadata v0 lists every topic for an empty topic list, in the v0 layout', async () => {
    await callBroker(broker, 3, 9, uvarint(2), compactString('flexible.v0'), NO_TAGS, Buffer.from([1, 0, 0]), NO_TAGS);
    const header = Buffer.concat([int16(3), int16(0), int32(5), int16(4), Buffer.from('java')]);
    const response = new Cursor(await exchange(broker, Buffer.concat([header, int32(0)])));

    expect(response.int32()).toBe(5); // response header v0
    expect(response.int32()).toBe(1); // brokers: node id, host, port (no rack before v1)
    response.int32();
    response.int16Prefixed();
    response.int32();
    const topics: string[] = [];
    const count = response.int32();
    for (let i = 0; i < count; i++) {
      expect(response.int16()).toBe(0);
      topics.push(response.int16Prefixed());
      const partitions = response.int32(); // no is_internal before v1
      for (let p = 0; p < partitions; p++) {
        response.int16();
        response.int32();
        response.int32();
        expect([response.int32(), response.int32(), response.int32(), response.int32()]).toEqual([1, 0, 1, 0]);
      }
    }
    expect(response.remaining).toBe(0);
    expect(topics).toContain('flexible.v0');
  });

  it('logs in with SaslHandshake v1 and SaslAuthenticate v2, then reads metadata on the same connection', async () => {
    const secured = await startTestBroker('flexible-sasl', {
      security: {
        users: [{ name: 'bureau', password: '民政局-secret' }],
        acls: [{ principal: 'bureau', operation: 'READ', topic: 'flexible.sasl' }],
      },
    });
    const connection = await openConnection(secured);
    try {
      const handshakeHeader = Buffer.concat([int16(17), int16(1), int32(1), int16(4), Buffer.from('java')]);
      const handshake = new Cursor(
        await connection.send(Buffer.concat([handshakeHeader, int16(5), Buffer.from('PLAIN')])),
      );
      expect([handshake.int32(), handshake.int16()]).toEqual([1, 0]);

      const token = Buffer.from('\u0000bureau\u0000民政局-secret');
      const authenticated = new Cursor(
        await connection.send(Buffer.concat([headerV2(36, 2, 2), compactBytes(token), NO_TAGS])),
      );
      expect([authenticated.int32(), authenticated.uvarint()]).toEqual([2, 0]);
      expect([authenticated.int16(), authenticated.compactString()]).toEqual([0, null]);
      authenticated.compactBytes();
      expect([authenticated.int64(), authenticated.uvarint(), authenticated.remaining]).toEqual([0, 0, 0]);

      const metadata = Buffer.concat([
        uvarint(2),
        compactString('flexible.sasl'),
        NO_TAGS,
        Buffer.from([1, 0, 0]),
        NO_TAGS,
      ]);
      const described = new Cursor(await connection.send(Buffer.concat([headerV2(3, 9, 3), metadata])));
      expect([described.int32(), described.uvarint(), described.int32()]).toEqual([3, 0, 0]);
      expect(described.uvarint() - 1).toBe(1);
      described.int32();
      described.compactString();
      described.int32();
      described.compactString();
      described.uvarint();
      described.compactString();
      described.int32();
      expect([described.uvarint() - 1, described.int16(), described.compactString()]).toEqual([1, 0, 'flexible.sasl']);
    } finally {
      connection.close();
      await secured.stop();
    }
  });
});
