import { crc32c } from './crc32c';

/**
 * Byte positions inside a record batch (magic 2). The broker only ever reads this header and rewrites the base
 * offset; everything from the attributes on (covered by the CRC) is stored and served untouched.
 */
export const BatchField = {
  baseOffset: 0,
  batchLength: 8,
  partitionLeaderEpoch: 12,
  magic: 16,
  crc: 17,
  attributes: 21,
  lastOffsetDelta: 23,
  baseTimestamp: 27,
  maxTimestamp: 35,
  producerId: 43,
  producerEpoch: 51,
  baseSequence: 53,
  recordCount: 57,
} as const;

/** Size of the fixed header up to and including recordCount. */
export const BATCH_HEADER_SIZE = 61;
/** baseOffset + batchLength: the part not counted by batchLength. */
export const BATCH_LENGTH_PREFIX = 12;

export interface BatchHeader {
  /** Total size in bytes, including the 12-byte prefix. */
  size: number;
  magic: number;
  attributes: number;
  lastOffsetDelta: number;
  maxTimestamp: number;
  producerId: number;
  producerEpoch: number;
  baseSequence: number;
}

/** Reads the header of the batch at `position`, or returns null if the bytes there are not one whole batch. */
export function readBatchHeader(buffer: Buffer, position = 0): BatchHeader | null {
  if (buffer.length - position < BATCH_HEADER_SIZE) return null;
  const size = buffer.readInt32BE(position + BatchField.batchLength) + BATCH_LENGTH_PREFIX;
  if (size < BATCH_HEADER_SIZE || position + size > buffer.length) return null;
  return {
    size,
    magic: buffer.readInt8(position + BatchField.magic),
    attributes: buffer.readInt16BE(position + BatchField.attributes),
    lastOffsetDelta: buffer.readInt32BE(position + BatchField.lastOffsetDelta),
    maxTimestamp: Number(buffer.readBigInt64BE(position + BatchField.maxTimestamp)),
    producerId: Number(buffer.readBigInt64BE(position + BatchField.producerId)),
    producerEpoch: buffer.readInt16BE(position + BatchField.producerEpoch),
    baseSequence: buffer.readInt32BE(position + BatchField.baseSequence),
  };
}

/** True if the stored CRC matches bytes 21..end, i.e. the batch arrived (or survived a crash) intact. */
export function hasValidChecksum(buffer: Buffer, position: number, size: number): boolean {
  return (
    buffer.readUInt32BE(position + BatchField.crc) === crc32c(buffer, position + BatchField.attributes, position + size)
  );
}

/** Assigns the batch its place in the log. The leader epoch is zeroed because this broker has no epochs. */
export function stampBaseOffset(buffer: Buffer, position: number, baseOffset: number): void {
  buffer.writeBigInt64BE(BigInt(baseOffset), position + BatchField.baseOffset);
  buffer.writeInt32BE(0, position + BatchField.partitionLeaderEpoch);
}
