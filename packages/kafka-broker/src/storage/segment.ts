import fs from 'node:fs';
import path from 'node:path';
import { BATCH_LENGTH_PREFIX, BatchField, hasValidChecksum, readBatchHeader } from '../protocol/record-batch';
import { INDEX_ENTRY_SIZE, OffsetIndex, type IndexEntry } from './offset-index';

const OFFSET_DIGITS = 20;
const LOG_SUFFIX = '.log';
const INDEX_SUFFIX = '.index';
/** Recovery reads the unindexed tail of a segment in chunks of this size (grown if one batch is larger). */
const RECOVERY_READ_SIZE = 1 << 20;

export function segmentFileName(baseOffset: number, suffix: string): string {
  return String(baseOffset).padStart(OFFSET_DIGITS, '0') + suffix;
}

/** Base offsets of the segments in a partition directory, ascending. */
export function listSegmentBaseOffsets(directory: string): number[] {
  return fs
    .readdirSync(directory)
    .filter((name) => name.endsWith(LOG_SUFFIX))
    .map((name) => Number(name.slice(0, -LOG_SUFFIX.length)))
    .filter((offset) => Number.isSafeInteger(offset))
    .sort((a, b) => a - b);
}

export interface RecoveryReport {
  truncatedBytes: number;
  reindexedBatches: number;
}

/** A batch range in the segment file that a fetch should send. */
export interface SegmentSlice {
  position: number;
  size: number;
}

/**
 * One file of raw record batches plus its offset index. All file access is synchronous: the broker runs on one
 * thread, the data is in the page cache, and synchronous calls make append, fetch, roll and retention atomic with
 * respect to each other without locks (an async read racing a retention delete would need reference counting).
 */
export class Segment {
  /** Null while the index of a sealed segment is not loaded (see PartitionLog's index cache). */
  private index: OffsetIndex | null;

  private constructor(
    readonly baseOffset: number,
    private readonly logPath: string,
    private readonly indexPath: string,
    private readonly logFd: number,
    private readonly indexFd: number,
    index: OffsetIndex,
    /** Bytes in the log file. */
    public size: number,
    /** Offset the next appended batch will get. */
    public nextOffset: number,
    /** Largest record timestamp in the segment (for time-based retention), -1 if empty. */
    public maxTimestamp: number,
  ) {
    this.index = index;
  }

  static create(directory: string, baseOffset: number): Segment {
    const logPath = path.join(directory, segmentFileName(baseOffset, LOG_SUFFIX));
    const indexPath = path.join(directory, segmentFileName(baseOffset, INDEX_SUFFIX));
    const logFd = fs.openSync(logPath, 'w+');
    const indexFd = fs.openSync(indexPath, 'w+');
    return new Segment(baseOffset, logPath, indexPath, logFd, indexFd, new OffsetIndex(), 0, baseOffset, -1);
  }

  /**
   * Opens an existing segment and makes it consistent: index entries pointing past the end of the log are dropped,
   * batches written after the last index entry are indexed, and a torn or corrupt tail (a crash mid-write) is
   * truncated away. Only the unindexed tail is read, so a clean restart costs one small read per segment.
   */
  static open(directory: string, baseOffset: number): { segment: Segment; report: RecoveryReport } {
    const logPath = path.join(directory, segmentFileName(baseOffset, LOG_SUFFIX));
    const indexPath = path.join(directory, segmentFileName(baseOffset, INDEX_SUFFIX));
    const logFd = fs.openSync(logPath, 'r+');
    const indexFd = fs.openSync(indexPath, fs.existsSync(indexPath) ? 'r+' : 'w+');
    const logSize = fs.fstatSync(logFd).size;
    const index = new OffsetIndex(fs.readFileSync(indexPath));
    const indexedLength = index.length;

    // Trust index entries only while the batch they point at really ends inside the log file.
    let validEnd = 0;
    while (index.length > 0) {
      const last = index.length - 1;
      const end = batchEndAt(logFd, index.position(last), logSize, index.baseOffset(last));
      if (end !== null) {
        validEnd = end;
        break;
      }
      index.truncate(last);
    }

    const scanned = scanTail(logFd, validEnd, logSize, index);
    const finalEnd = scanned.end;
    if (finalEnd < logSize) fs.ftruncateSync(logFd, finalEnd);
    if (index.length !== indexedLength || scanned.added > 0) {
      fs.ftruncateSync(indexFd, 0);
      fs.writeSync(indexFd, index.toBuffer(), 0, index.length * INDEX_ENTRY_SIZE, 0);
    } else if (fs.fstatSync(indexFd).size !== index.length * INDEX_ENTRY_SIZE) {
      fs.ftruncateSync(indexFd, index.length * INDEX_ENTRY_SIZE);
    }

    let maxTimestamp = -1;
    for (let i = 0; i < index.length; i++) maxTimestamp = Math.max(maxTimestamp, index.maxTimestamp(i));
    const nextOffset = index.length > 0 ? index.lastOffset(index.length - 1) + 1 : baseOffset;
    const segment = new Segment(
      baseOffset,
      logPath,
      indexPath,
      logFd,
      indexFd,
      index,
      finalEnd,
      nextOffset,
      maxTimestamp,
    );
    return { segment, report: { truncatedBytes: logSize - finalEnd, reindexedBatches: scanned.added } };
  }

  private loadedIndex(): OffsetIndex {
    this.index ??= new OffsetIndex(fs.readFileSync(this.indexPath));
    return this.index;
  }

  unloadIndex(): void {
    this.index = null;
  }

  /** Writes already-stamped batches (one contiguous buffer) and their index entries. */
  append(batches: Buffer, entries: readonly Omit<IndexEntry, 'position'>[], positions: readonly number[]): void {
    fs.writeSync(this.logFd, batches, 0, batches.length, this.size);
    const index = this.loadedIndex();
    const encoded = Buffer.allocUnsafe(entries.length * INDEX_ENTRY_SIZE);
    entries.forEach((entry, i) => {
      const withPosition = { ...entry, position: this.size + positions[i] };
      index.push(withPosition);
      OffsetIndex.encode(withPosition).copy(encoded, i * INDEX_ENTRY_SIZE);
      this.nextOffset = entry.baseOffset + entry.lastOffsetDelta + 1;
      this.maxTimestamp = Math.max(this.maxTimestamp, entry.maxTimestamp);
    });
    fs.writeSync(this.indexFd, encoded, 0, encoded.length, (index.length - entries.length) * INDEX_ENTRY_SIZE);
    this.size += batches.length;
  }

  flush(): void {
    fs.fsyncSync(this.logFd);
    fs.fsyncSync(this.indexFd);
  }

  /**
   * The whole batches to send for a fetch at `offset`: starting with the first batch that ends at or after it (never
   * one that ends before — kafkajs would take that for compaction and skip a message), always at least one batch
   * (kafkajs drops partial batches), then as many more as fit in `maxBytes`.
   */
  sliceFrom(offset: number, maxBytes: number): SegmentSlice | null {
    const index = this.loadedIndex();
    const first = index.findFirstEndingAtOrAfter(offset);
    if (first >= index.length) return null;
    const start = index.position(first);
    let end = first + 1 < index.length ? index.position(first + 1) : this.size;
    for (let i = first + 1; i < index.length; i++) {
      const next = i + 1 < index.length ? index.position(i + 1) : this.size;
      if (next - start > maxBytes) break;
      end = next;
    }
    return { position: start, size: end - start };
  }

  read(slice: SegmentSlice): Buffer {
    const buffer = Buffer.allocUnsafe(slice.size);
    let done = 0;
    while (done < slice.size) {
      const read = fs.readSync(this.logFd, buffer, done, slice.size - done, slice.position + done);
      if (read === 0) throw new Error(`unexpected end of ${this.logPath}`);
      done += read;
    }
    return buffer;
  }

  /** Base offset of the first batch with a timestamp >= `timestamp`, or null. */
  offsetForTimestamp(timestamp: number): { offset: number; timestamp: number } | null {
    if (this.maxTimestamp < timestamp) return null;
    const index = this.loadedIndex();
    const i = index.findFirstWithTimestampAtOrAfter(timestamp);
    return i < 0 ? null : { offset: index.baseOffset(i), timestamp: index.maxTimestamp(i) };
  }

  /** Raw batch headers from `fromOffset` on, for rebuilding producer state after a restart. */
  *batchHeadersFrom(fromOffset: number): Generator<{ baseOffset: number; header: Buffer }> {
    const index = this.loadedIndex();
    const headerSize = BatchField.recordCount;
    for (let i = index.findFirstEndingAtOrAfter(fromOffset); i < index.length; i++) {
      const header = Buffer.allocUnsafe(headerSize + 4);
      fs.readSync(this.logFd, header, 0, header.length, index.position(i));
      yield { baseOffset: index.baseOffset(i), header };
    }
  }

  close(): void {
    fs.closeSync(this.logFd);
    fs.closeSync(this.indexFd);
  }

  delete(): void {
    this.close();
    fs.rmSync(this.logPath, { force: true });
    fs.rmSync(this.indexPath, { force: true });
  }
}

/** End position of the batch at `position` if its prefix is readable, has the expected base offset and fits. */
function batchEndAt(fd: number, position: number, logSize: number, expectedBaseOffset: number): number | null {
  if (position + BATCH_LENGTH_PREFIX > logSize) return null;
  const prefix = Buffer.allocUnsafe(BATCH_LENGTH_PREFIX);
  fs.readSync(fd, prefix, 0, BATCH_LENGTH_PREFIX, position);
  if (Number(prefix.readBigInt64BE(0)) !== expectedBaseOffset) return null;
  const end = position + prefix.readInt32BE(BatchField.batchLength) + BATCH_LENGTH_PREFIX;
  return end <= logSize ? end : null;
}

/** Indexes complete, checksum-valid batches from `start`; returns where the valid data ends. */
function scanTail(fd: number, start: number, logSize: number, index: OffsetIndex): { end: number; added: number } {
  let position = start;
  let added = 0;
  let readSize = RECOVERY_READ_SIZE;
  while (position < logSize) {
    const chunk = Buffer.allocUnsafe(Math.min(readSize, logSize - position));
    fs.readSync(fd, chunk, 0, chunk.length, position);
    let cursor = 0;
    for (;;) {
      const header = readBatchHeader(chunk, cursor);
      if (header === null) break;
      if (header.magic !== 2 || !hasValidChecksum(chunk, cursor, header.size)) return { end: position + cursor, added };
      index.push({
        baseOffset: Number(chunk.readBigInt64BE(cursor + BatchField.baseOffset)),
        position: position + cursor,
        lastOffsetDelta: header.lastOffsetDelta,
        maxTimestamp: header.maxTimestamp,
      });
      added++;
      cursor += header.size;
    }
    if (cursor === 0) {
      // Not even one whole batch fits in the chunk: either the tail is torn or the batch is larger than the chunk.
      if (chunk.length >= logSize - position) return { end: position, added };
      readSize *= 2;
      continue;
    }
    position += cursor;
  }
  return { end: position, added };
}
