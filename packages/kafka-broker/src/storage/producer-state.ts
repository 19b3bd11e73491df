import { ErrorCode } from '../protocol/error-codes';

/** Kafka remembers this many recent batches per producer, matching max.in.flight.requests.per.connection = 5. */
const RECENT_BATCHES_KEPT = 5;

interface RecentBatch {
  firstSequence: number;
  lastSequence: number;
  baseOffset: number;
}

export interface ProducerEntry {
  epoch: number;
  lastSequence: number;
  recent: RecentBatch[];
}

export type SequenceCheck =
  { kind: 'append' } | { kind: 'duplicate'; baseOffset: number } | { kind: 'reject'; errorCode: ErrorCode };

export interface ProducerBatch {
  producerId: number;
  producerEpoch: number;
  baseSequence: number;
  lastOffsetDelta: number;
}

/** Sequence numbers are int32 and wrap to 0 after 2^31-1. */
function addSequence(sequence: number, delta: number): number {
  return (sequence + delta) % 0x80000000;
}

/** Per-partition idempotence state: which sequences each producer id has already written, and where. */
export class ProducerStateTable {
  private readonly producers = new Map<number, ProducerEntry>();

  check(batch: ProducerBatch): SequenceCheck {
    if (batch.producerId < 0) return { kind: 'append' };
    const entry = this.producers.get(batch.producerId);
    // Unknown producer ids are accepted (lenient, like Kafka before KIP-360): the producer may predate a restart
    // whose state snapshot was older than its last write, or have been expired.
    if (!entry || batch.producerEpoch > entry.epoch) return { kind: 'append' };
    if (batch.producerEpoch < entry.epoch) return { kind: 'reject', errorCode: ErrorCode.INVALID_PRODUCER_EPOCH };
    const lastSequence = addSequence(batch.baseSequence, batch.lastOffsetDelta);
    const duplicate = entry.recent.find(
      (recent) => recent.firstSequence === batch.baseSequence && recent.lastSequence === lastSequence,
    );
    if (duplicate) return { kind: 'duplicate', baseOffset: duplicate.baseOffset };
    if (batch.baseSequence !== addSequence(entry.lastSequence, 1)) {
      return { kind: 'reject', errorCode: ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER };
    }
    return { kind: 'append' };
  }

  record(batch: ProducerBatch, baseOffset: number): void {
    if (batch.producerId < 0) return;
    let entry = this.producers.get(batch.producerId);
    if (!entry || entry.epoch !== batch.producerEpoch) {
      entry = { epoch: batch.producerEpoch, lastSequence: -1, recent: [] };
      this.producers.set(batch.producerId, entry);
    }
    const lastSequence = addSequence(batch.baseSequence, batch.lastOffsetDelta);
    entry.lastSequence = lastSequence;
    entry.recent.push({ firstSequence: batch.baseSequence, lastSequence, baseOffset });
    if (entry.recent.length > RECENT_BATCHES_KEPT) entry.recent.shift();
  }

  toJSON(): Record<string, ProducerEntry> {
    return Object.fromEntries([...this.producers].map(([id, entry]) => [String(id), entry]));
  }

  static fromJSON(json: Record<string, ProducerEntry>): ProducerStateTable {
    const table = new ProducerStateTable();
    for (const [id, entry] of Object.entries(json)) table.producers.set(Number(id), entry);
    return table;
  }
}
