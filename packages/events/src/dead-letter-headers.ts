/**
 * Headers a consumer adds when it moves a message to `<topic>.dlq` (next to the original key, value and ce_* headers),
 * and the marker `pnpm dlq replay` adds when it publishes a dead letter again. One list, read by the consumer that
 * writes them and the tool that reads them.
 */
export const DLQ_HEADERS = {
  error: 'dlq_error',
  /** A RejectionReason (MALFORMED, UNTRUSTED_SOURCE, FUTURE_TIME, …), HANDLER_FAILED or RETRY_BUDGET_EXHAUSTED. */
  reason: 'dlq_reason',
  /** `rejected` (refused before handling), `permanent` (the handler failed for good) or `transient` (budget spent). */
  failureKind: 'dlq_failure_kind',
  attempts: 'dlq_attempts',
  originalTopic: 'dlq_original_topic',
  originalPartition: 'dlq_original_partition',
  originalOffset: 'dlq_original_offset',
  consumerGroup: 'dlq_consumer_group',
  firstFailedAt: 'dlq_first_failed_at',
  failedAt: 'dlq_failed_at',
} as const;

export const REPLAY_HEADERS = {
  /** `<dlq topic>:<partition>:<offset>` of the dead letter this message was replayed from. */
  replayOf: 'taoyuan_replay_of',
  replayedAt: 'taoyuan_replayed_at',
} as const;

export type DeadLetterReason =
  | 'MALFORMED'
  | 'UNEXPECTED_TYPE'
  | 'UNTRUSTED_SOURCE'
  | 'FUTURE_TIME'
  | 'SCHEMA_MISMATCH'
  | 'HANDLER_FAILED'
  | 'RETRY_BUDGET_EXHAUSTED';
