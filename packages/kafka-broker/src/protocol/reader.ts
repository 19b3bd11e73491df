/** Thrown when a request frame is shorter than its own fields say; the connection is closed in response. */
export class MalformedRequestError extends Error {}

/**
 * Sequential decoder for Kafka's primitive types. In a flexible version (KIP-482) strings, arrays and bytes are
 * compact (unsigned-varint length + 1, 0 = null) and every struct ends with tagged fields; handlers call the same
 * methods either way and `tags()` at the end of each struct, which is a no-op in the classic encoding.
 */
export class Reader {
  private offset = 0;
  /** Set by the connection once the request header says which version (and so which encoding) follows. */
  flexible = false;

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

  /** Unsigned LEB128, at most 5 bytes for a 32-bit value. */
  unsignedVarint(): number {
    let value = 0;
    for (let shift = 0; shift <= 28; shift += 7) {
      const byte = this.buffer.readUInt8(this.take(1));
      value += (byte & 0x7f) * 2 ** shift;
      if ((byte & 0x80) === 0) return value;
    }
    throw new MalformedRequestError('unsigned varint longer than 5 bytes');
  }

  /** Length of a compact or classic field; -1 means null. */
  private length(classic: () => number): number {
    return this.flexible ? this.unsignedVarint() - 1 : classic();
  }

  /** Skips the tagged fields that end a struct in flexible versions: none of them is needed by this broker. */
  tags(): void {
    if (!this.flexible) return;
    const count = this.unsignedVarint();
    for (let i = 0; i < count; i++) {
      this.unsignedVarint(); // tag
      this.take(this.unsignedVarint());
    }
  }

  /** The request header's client id, which stays a classic nullable string even in header v2. */
  classicNullableString(): string | null {
    const length = this.int16();
    if (length < 0) return null;
    const start = this.take(length);
    return this.buffer.toString('utf8', start, start + length);
  }

  nullableString(): string | null {
    const length = this.length(() => this.int16());
    if (length < 0) return null;
    const start = this.take(length);
    return this.buffer.toString('utf8', start, start + length);
  }

  /** Returns a view into the request frame (no copy); callers that keep it must copy. */
  nullableBytes(): Buffer | null {
    const length = this.length(() => this.int32());
    if (length < 0) return null;
    const start = this.take(length);
    return this.buffer.subarray(start, start + length);
  }

  bytes(): Buffer {
    return this.nullableBytes() ?? Buffer.alloc(0);
  }

  nullableArray<T>(readItem: (reader: Reader) => T): T[] | null {
    const count = this.length(() => this.int32());
    if (count < 0) return null;
    if (count > this.remaining) throw new MalformedRequestError(`array of ${count} items in ${this.remaining} bytes`);
    const items: T[] = [];
    for (let i = 0; i < count; i++) items.push(readItem(this));
    return items;
  }

  array<T>(readItem: (reader: Reader) => T): T[] {
    return this.nullableArray(readItem) ?? [];
  }
}
