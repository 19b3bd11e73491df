/**
 * Growable encoder for Kafka's primitive types, classic or (when `flexible`) compact with tagged fields; see Reader.
 */
export class Writer {
  private buffer: Buffer;
  private offset = 0;

  constructor(
    initialCapacity = 256,
    readonly flexible = false,
  ) {
    this.buffer = Buffer.allocUnsafe(initialCapacity);
  }

  /**
   * Makes room for `size` bytes and returns where they go. Callers must call this before reading `this.buffer`,
   * because growing replaces the buffer.
   */
  private reserve(size: number): number {
    if (this.offset + size > this.buffer.length) {
      const grown = Buffer.allocUnsafe(Math.max(this.buffer.length * 2, this.offset + size));
      this.buffer.copy(grown, 0, 0, this.offset);
      this.buffer = grown;
    }
    const start = this.offset;
    this.offset += size;
    return start;
  }

  int8(value: number): this {
    const position = this.reserve(1);
    this.buffer.writeInt8(value, position);
    return this;
  }

  int16(value: number): this {
    const position = this.reserve(2);
    this.buffer.writeInt16BE(value, position);
    return this;
  }

  int32(value: number): this {
    const position = this.reserve(4);
    this.buffer.writeInt32BE(value, position);
    return this;
  }

  int64(value: number): this {
    const position = this.reserve(8);
    this.buffer.writeBigInt64BE(BigInt(value), position);
    return this;
  }

  unsignedVarint(value: number): this {
    let rest = value;
    while (rest >= 0x80) {
      this.int8Unsigned((rest & 0x7f) | 0x80);
      rest = Math.floor(rest / 128);
    }
    return this.int8Unsigned(rest);
  }

  private int8Unsigned(value: number): this {
    const position = this.reserve(1);
    this.buffer.writeUInt8(value, position);
    return this;
  }

  /** Classic lengths are int16/int32 with -1 for null; compact ones are unsigned varints of length + 1, 0 for null. */
  private length(value: number, classic: (value: number) => this): this {
    return this.flexible ? this.unsignedVarint(value + 1) : classic(value);
  }

  /** Ends a struct in flexible versions: this broker never sends tagged fields, so their count is always 0. */
  tags(): this {
    return this.flexible ? this.unsignedVarint(0) : this;
  }

  string(value: string): this {
    const length = Buffer.byteLength(value);
    this.length(length, (n) => this.int16(n));
    const position = this.reserve(length);
    this.buffer.write(value, position, length, 'utf8');
    return this;
  }

  nullableString(value: string | null): this {
    return value === null ? this.length(-1, (n) => this.int16(n)) : this.string(value);
  }

  bytes(value: Buffer | null): this {
    if (value === null) return this.length(-1, (n) => this.int32(n));
    this.length(value.length, (n) => this.int32(n));
    const position = this.reserve(value.length);
    value.copy(this.buffer, position);
    return this;
  }

  array<T>(items: readonly T[], writeItem: (writer: this, item: T) => void): this {
    this.length(items.length, (n) => this.int32(n));
    for (const item of items) writeItem(this, item);
    return this;
  }

  nullableArray<T>(items: readonly T[] | null, writeItem: (writer: this, item: T) => void): this {
    return items === null ? this.length(-1, (n) => this.int32(n)) : this.array(items, writeItem);
  }

  toBuffer(): Buffer {
    return this.buffer.subarray(0, this.offset);
  }
}
