/** Growable encoder for the classic (non-compact) Kafka primitive types. */
export class Writer {
  private buffer: Buffer;
  private offset = 0;

  constructor(initialCapacity = 256) {
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

  string(value: string): this {
    const length = Buffer.byteLength(value);
    this.int16(length);
    const position = this.reserve(length);
    this.buffer.write(value, position, length, 'utf8');
    return this;
  }

  nullableString(value: string | null): this {
    return value === null ? this.int16(-1) : this.string(value);
  }

  bytes(value: Buffer | null): this {
    if (value === null) return this.int32(-1);
    this.int32(value.length);
    const position = this.reserve(value.length);
    value.copy(this.buffer, position);
    return this;
  }

  array<T>(items: readonly T[], writeItem: (writer: this, item: T) => void): this {
    this.int32(items.length);
    for (const item of items) writeItem(this, item);
    return this;
  }

  toBuffer(): Buffer {
    return this.buffer.subarray(0, this.offset);
  }
}
