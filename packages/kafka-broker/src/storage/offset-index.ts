/**
 * One entry per stored batch: where it starts in the segment file and which offsets/timestamps it covers. A fetch
 * binary-searches these instead of scanning the log. Layout (24 bytes, big-endian):
 * i64 baseOffset | i32 filePosition | i32 lastOffsetDelta | i64 maxTimestamp
 */
export const INDEX_ENTRY_SIZE = 24;

export interface IndexEntry {
  baseOffset: number;
  position: number;
  lastOffsetDelta: number;
  maxTimestamp: number;
}

/** A growable, Buffer-backed array of index entries (kept compact: 24 bytes per batch, no objects). */
export class OffsetIndex {
  private buffer: Buffer;
  private count = 0;

  constructor(initial?: Buffer) {
    const usable = initial ? initial.length - (initial.length % INDEX_ENTRY_SIZE) : 0;
    this.buffer = Buffer.alloc(Math.max(usable, 64 * INDEX_ENTRY_SIZE));
    if (initial) initial.copy(this.buffer, 0, 0, usable);
    this.count = usable / INDEX_ENTRY_SIZE;
  }

  get length(): number {
    return this.count;
  }

  static encode(entry: IndexEntry): Buffer {
    const bytes = Buffer.allocUnsafe(INDEX_ENTRY_SIZE);
    bytes.writeBigInt64BE(BigInt(entry.baseOffset), 0);
    bytes.writeInt32BE(entry.position, 8);
    bytes.writeInt32BE(entry.lastOffsetDelta, 12);
    bytes.writeBigInt64BE(BigInt(entry.maxTimestamp), 16);
    return bytes;
  }

  push(entry: IndexEntry): void {
    if ((this.count + 1) * INDEX_ENTRY_SIZE > this.buffer.length) {
      const grown = Buffer.alloc(this.buffer.length * 2);
      this.buffer.copy(grown);
      this.buffer = grown;
    }
    OffsetIndex.encode(entry).copy(this.buffer, this.count * INDEX_ENTRY_SIZE);
    this.count++;
  }

  truncate(count: number): void {
    this.count = Math.min(this.count, count);
  }

  baseOffset(i: number): number {
    return Number(this.buffer.readBigInt64BE(i * INDEX_ENTRY_SIZE));
  }

  position(i: number): number {
    return this.buffer.readInt32BE(i * INDEX_ENTRY_SIZE + 8);
  }

  lastOffset(i: number): number {
    return this.baseOffset(i) + this.buffer.readInt32BE(i * INDEX_ENTRY_SIZE + 12);
  }

  maxTimestamp(i: number): number {
    return Number(this.buffer.readBigInt64BE(i * INDEX_ENTRY_SIZE + 16));
  }

  /** Index of the first batch whose last offset is >= `offset`, or `length` if none. */
  findFirstEndingAtOrAfter(offset: number): number {
    let low = 0;
    let high = this.count;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if (this.lastOffset(mid) < offset) low = mid + 1;
      else high = mid;
    }
    return low;
  }

  /** Index of the first batch with maxTimestamp >= `timestamp`, or -1. Linear: timestamps need not be monotonic. */
  findFirstWithTimestampAtOrAfter(timestamp: number): number {
    for (let i = 0; i < this.count; i++) if (this.maxTimestamp(i) >= timestamp) return i;
    return -1;
  }

  /** The encoded entries, for rewriting the index file after recovery. */
  toBuffer(): Buffer {
    return this.buffer.subarray(0, this.count * INDEX_ENTRY_SIZE);
  }
}
