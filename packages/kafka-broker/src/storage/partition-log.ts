import fs from 'node:fs';
import path from 'node:path';
import type { Logger } from '../logger';
import { ErrorCode } from '../protocol/error-codes';
import { BatchField, hasValidChecksum, readBatchHeader, stampBaseOffset } from '../protocol/record-batch';
import { ProducerStateTable, type ProducerEntry } from './producer-state';
import { Segment, listSegmentBaseOffsets } from './segment';

export interface LogConfig {
  segmentBytes: number;
  /** Delete whole segments older than this (by their newest record timestamp); negative = keep forever. */
  retentionMs: number;
  /** Delete the oldest segments while the partition is larger than this; negative = unlimited. */
  retentionBytes: number;
  /** fsync log and index before acknowledging acks≠0 produces (see BrokerOptions.fsync for the trade-off). */
  fsync: boolean;
  logger: Logger;
}

export interface AppendResult {
  errorCode: ErrorCode;
  baseOffset: number;
}

export interface FetchResult {
  errorCode: ErrorCode;
  /** Whole record batches read from the segment file, or null when there is nothing (or an error). */
  records: Buffer | null;
}

const PRODUCER_SNAPSHOT = 'producer-state.json';
/**
 * How many sealed segments per partition keep their index in memory. Older ones are re-read from the index file on
 * demand, so memory does not grow with the amount of data stored.
 */
const LOADED_SEALED_INDEXES = 4;

interface ProducerSnapshot {
  nextOffset: number;
  producers: Record<string, ProducerEntry>;
}

/**
 * One partition: an ordered list of segments (the last one is written to), its producer-idempotence state, and the
 * long-polling fetches waiting for its next append.
 */
export class PartitionLog {
  private readonly appendWaiters = new Set<() => void>();
  private recentlyReadSealed: Segment[] = [];

  private constructor(
    readonly topic: string,
    readonly partition: number,
    private readonly directory: string,
    private readonly config: LogConfig,
    private segments: Segment[],
    private producers: ProducerStateTable,
  ) {}

  static create(directory: string, topic: string, partition: number, config: LogConfig): PartitionLog {
    fs.mkdirSync(directory, { recursive: true });
    return new PartitionLog(
      topic,
      partition,
      directory,
      config,
      [Segment.create(directory, 0)],
      new ProducerStateTable(),
    );
  }

  static open(directory: string, topic: string, partition: number, config: LogConfig): PartitionLog {
    const baseOffsets = listSegmentBaseOffsets(directory);
    const segments: Segment[] = [];
    for (const baseOffset of baseOffsets) {
      const { segment, report } = Segment.open(directory, baseOffset);
      if (report.truncatedBytes > 0 || report.reindexedBatches > 0) {
        config.logger.info(
          { topic, partition, baseOffset, ...report },
          'kafka-broker: recovered segment (torn tail truncated / unindexed batches indexed)',
        );
      }
      segments.push(segment);
    }
    if (segments.length === 0) segments.push(Segment.create(directory, 0));
    for (const sealed of segments.slice(0, -1)) sealed.unloadIndex();
    const log = new PartitionLog(topic, partition, directory, config, segments, new ProducerStateTable());
    log.recoverProducerState();
    return log;
  }

  get logStartOffset(): number {
    return this.segments[0].baseOffset;
  }

  /** The high watermark: with one replica, every appended offset is committed at once. */
  get nextOffset(): number {
    return this.active.nextOffset;
  }

  get sizeInBytes(): number {
    return this.segments.reduce((sum, segment) => sum + segment.size, 0);
  }

  private get active(): Segment {
    return this.segments[this.segments.length - 1];
  }

  /**
   * Appends the batches of one Produce partition entry. Each batch's base offset is rewritten in place; the bytes
   * covered by its CRC are stored untouched, so nothing is decompressed or re-encoded.
   */
  append(records: Buffer): AppendResult {
    let firstBaseOffset = -1;
    let position = 0;
    while (position < records.length) {
      const header = readBatchHeader(records, position);
      if (header === null || header.magic !== 2 || !hasValidChecksum(records, position, header.size)) {
        return { errorCode: ErrorCode.CORRUPT_MESSAGE, baseOffset: -1 };
      }
      const check = this.producers.check(header);
      if (check.kind === 'reject') return { errorCode: check.errorCode, baseOffset: -1 };
      if (check.kind === 'duplicate') {
        if (firstBaseOffset < 0) firstBaseOffset = check.baseOffset;
        position += header.size;
        continue;
      }
      if (this.active.size > 0 && this.active.size + header.size > this.config.segmentBytes) this.roll();
      const baseOffset = this.nextOffset;
      stampBaseOffset(records, position, baseOffset);
      this.active.append(
        records.subarray(position, position + header.size),
        [{ baseOffset, lastOffsetDelta: header.lastOffsetDelta, maxTimestamp: header.maxTimestamp }],
        [0],
      );
      this.producers.record(header, baseOffset);
      if (firstBaseOffset < 0) firstBaseOffset = baseOffset;
      position += header.size;
    }
    if (this.config.fsync) this.active.flush();
    this.notifyAppend();
    return { errorCode: ErrorCode.NONE, baseOffset: firstBaseOffset };
  }

  fetch(offset: number, maxBytes: number): FetchResult {
    if (offset < this.logStartOffset || offset > this.nextOffset) {
      return { errorCode: ErrorCode.OFFSET_OUT_OF_RANGE, records: null };
    }
    if (offset === this.nextOffset) return { errorCode: ErrorCode.NONE, records: null };
    const segment = this.segmentContaining(offset);
    const slice = segment.sliceFrom(offset, maxBytes);
    this.touchSealedIndex(segment);
    return { errorCode: ErrorCode.NONE, records: slice ? segment.read(slice) : null };
  }

  /** ListOffsets by timestamp: the first batch with a record at or after `timestamp`. */
  offsetForTimestamp(timestamp: number): { offset: number; timestamp: number } | null {
    for (const segment of this.segments) {
      const found = segment.offsetForTimestamp(timestamp);
      this.touchSealedIndex(segment);
      if (found) return found;
    }
    return null;
  }

  /** Registers a one-shot callback for the next append; returns a function that cancels it. */
  onNextAppend(callback: () => void): () => void {
    this.appendWaiters.add(callback);
    return () => this.appendWaiters.delete(callback);
  }

  private notifyAppend(): void {
    const waiters = [...this.appendWaiters];
    this.appendWaiters.clear();
    for (const waiter of waiters) waiter();
  }

  /** First segment whose offsets reach past `offset` (segments are contiguous and sorted). */
  private segmentContaining(offset: number): Segment {
    let low = 0;
    let high = this.segments.length - 1;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if (this.segments[mid].nextOffset <= offset) low = mid + 1;
      else high = mid;
    }
    return this.segments[low];
  }

  private touchSealedIndex(segment: Segment): void {
    if (segment === this.active) return;
    this.recentlyReadSealed = [segment, ...this.recentlyReadSealed.filter((s) => s !== segment)];
    for (const evicted of this.recentlyReadSealed.splice(LOADED_SEALED_INDEXES)) evicted.unloadIndex();
  }

  private roll(): void {
    const sealed = this.active;
    if (this.config.fsync) sealed.flush();
    sealed.unloadIndex();
    this.segments.push(Segment.create(this.directory, sealed.nextOffset));
    this.writeProducerSnapshot();
    this.config.logger.debug(
      { topic: this.topic, partition: this.partition, baseOffset: sealed.nextOffset },
      'kafka-broker: rolled segment',
    );
    this.enforceRetention(Date.now());
  }

  /**
   * Deletes whole segments from the start of the log, never the one being written: by size while the rest alone
   * still exceeds retentionBytes (Kafka's rule), and by age when a segment's newest record is older than
   * retentionMs. An active segment that is entirely past retentionMs is rolled first so that it can go too.
   * Returns the number of segments deleted.
   */
  enforceRetention(now: number): number {
    const { retentionBytes, retentionMs } = this.config;
    const expired = (segment: Segment): boolean =>
      retentionMs >= 0 && segment.maxTimestamp >= 0 && now - segment.maxTimestamp > retentionMs;
    if (this.active.size > 0 && expired(this.active)) {
      this.segments.push(Segment.create(this.directory, this.active.nextOffset));
      this.writeProducerSnapshot();
    }
    let total = this.sizeInBytes;
    let deleted = 0;
    while (this.segments.length > 1) {
      const oldest = this.segments[0];
      const overSize = retentionBytes >= 0 && total - oldest.size >= retentionBytes;
      if (!overSize && !expired(oldest)) break;
      this.segments.shift();
      this.recentlyReadSealed = this.recentlyReadSealed.filter((s) => s !== oldest);
      total -= oldest.size;
      oldest.delete();
      deleted++;
    }
    if (deleted > 0) {
      this.config.logger.debug(
        { topic: this.topic, partition: this.partition, deleted, logStartOffset: this.logStartOffset },
        'kafka-broker: retention deleted segments',
      );
    }
    return deleted;
  }

  /**
   * Producer state is snapshotted at each roll and at close; on open the snapshot is loaded and the batch headers
   * written after it are replayed, so duplicate detection survives both clean restarts and kill -9.
   */
  private writeProducerSnapshot(): void {
    const snapshot: ProducerSnapshot = { nextOffset: this.nextOffset, producers: this.producers.toJSON() };
    const target = path.join(this.directory, PRODUCER_SNAPSHOT);
    fs.writeFileSync(`${target}.tmp`, JSON.stringify(snapshot));
    fs.renameSync(`${target}.tmp`, target);
  }

  private recoverProducerState(): void {
    let replayFrom = this.logStartOffset;
    try {
      const snapshot = JSON.parse(
        fs.readFileSync(path.join(this.directory, PRODUCER_SNAPSHOT), 'utf8'),
      ) as ProducerSnapshot;
      if (snapshot.nextOffset <= this.nextOffset) {
        this.producers = ProducerStateTable.fromJSON(snapshot.producers);
        replayFrom = Math.max(replayFrom, snapshot.nextOffset);
      }
    } catch {
      // No snapshot (never rolled or closed) or unreadable: rebuild from the whole log.
    }
    for (const segment of this.segments) {
      if (segment.nextOffset <= replayFrom) continue;
      for (const { baseOffset, header } of segment.batchHeadersFrom(replayFrom)) {
        this.producers.record(
          {
            producerId: Number(header.readBigInt64BE(BatchField.producerId)),
            producerEpoch: header.readInt16BE(BatchField.producerEpoch),
            baseSequence: header.readInt32BE(BatchField.baseSequence),
            lastOffsetDelta: header.readInt32BE(BatchField.lastOffsetDelta),
          },
          baseOffset,
        );
      }
      if (segment !== this.active) segment.unloadIndex();
    }
  }

  close(): void {
    for (const waiter of this.appendWaiters) waiter();
    this.appendWaiters.clear();
    this.writeProducerSnapshot();
    for (const segment of this.segments) segment.close();
  }

  /** Closes the files and removes the partition directory with its segments and producer state. */
  destroy(): void {
    for (const waiter of this.appendWaiters) waiter();
    this.appendWaiters.clear();
    for (const segment of this.segments) segment.close();
    fs.rmSync(this.directory, { recursive: true, force: true });
  }
}
