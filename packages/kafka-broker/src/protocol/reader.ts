/** Thrown when a request frame is shorter than its own fields say; the connection is closed in response. */
export class MalformedRequestError extends Error {}

/** Sequential decoder for the classic (non-compact) Kafka primitive types. */
export class Reader {
  private offset = 0;

  constructor(private readonly buffer: Buffer) {}

  get remaining(): number {
    return this.buffer.length - this.offset;
  }

  private take(size: number): number {
    if (this.offset + size > this.buffer.length) {
      throw new MalformedRequestError(`read of ${size} bytes past the end of the frame`);
    }
    const start = this.offset;
    this.offset += size;
    return start;
  }

  int8(): number {
    return this.buffer.readInt8(this.take(1));
  }

  int16(): number {
    return this.buffer.readInt16BE(this.take(2));
  }

  int32(): number {
    return this.buffer.readInt32BE(this.take(4));
  }

  /** Offsets stay well inside 2^53, so numbers are safe and much cheaper than bigint. */
  int64(): number {
    return Number(this.buffer.readBigInt64BE(this.take(8)));
  }

  string(): string {
    const value = this.nullableString();
    if (value === null) throw new MalformedRequestError('null where a string is required');
    return value;
  }

  nullableString(): string | null {
    const length = this.int16();
    if (length < 0) return null;
    const start = this.take(length);
    return this.buffer.toString('utf8', start, start + length);
  }

  /** Returns a view into the request frame (no copy); callers that keep it must copy. */
  nullableBytes(): Buffer | null {
    const length = this.int32();
    if (length < 0) return null;
    const start = this.take(length);
    return this.buffer.subarray(start, start + length);
  }

  bytes(): Buffer {
    return this.nullableBytes() ?? Buffer.alloc(0);
  }

  nullableArray<T>(readItem: (reader: Reader) => T): T[] | null {
    const count = this.int32();
    if (count < 0) return null;
    const items: T[] = [];
    for (let i = 0; i < count; i++) items.push(readItem(this));
    return items;
  }

  array<T>(readItem: (reader: Reader) => T): T[] {
    return this.nullableArray(readItem) ?? [];
  }
}
