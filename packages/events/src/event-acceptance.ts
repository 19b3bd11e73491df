import type { IHeaders } from 'kafkajs';
import { fromKafkaMessage, MalformedEventError, type EventEnvelope } from './envelope';
import type { EventDefinition, PayloadOf } from './event-definition';

/** Why a consumer refused an event before handling it. Stable: it is the `dlq_reason` header of the dead letter. */
export type RejectionReason = 'MALFORMED' | 'UNEXPECTED_TYPE' | 'UNTRUSTED_SOURCE' | 'FUTURE_TIME' | 'SCHEMA_MISMATCH';

/** An event no retry can make acceptable: it goes to the dead-letter topic at once and is never handled. */
export class RejectedEventError extends Error {
  constructor(
    readonly reason: RejectionReason,
    message: string,
  ) {
    super(message);
    this.name = 'RejectedEventError';
  }
}

export const DEFAULT_MAX_CLOCK_SKEW_MS = 5 * 60_000;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The CloudEvents source a service's Outbox stamps on its events: `new Outbox(producerSource('identity'))`. */
export function producerSource(producer: string): string {
  return `/taoyuan/${producer}`;
}

/**
 * Refuses an event whose `ce_source` is not the producer the catalogue declares for its type. Anyone with write
 * access to a topic could otherwise promote themselves by publishing `organizations.member.promoted`; Kafka ACLs are
 * the first wall, this is the second (see docs/decisions/0003-events.md).
 */
export function assertDeclaredProducer(definition: EventDefinition, envelope: Pick<EventEnvelope, 'source'>): void {
  const expected = producerSource(definition.producer);
  if (envelope.source !== expected)
    throw new RejectedEventError(
      'UNTRUSTED_SOURCE',
      `${definition.type} is published only by ${expected}, not by ${JSON.stringify(envelope.source.slice(0, 200))}`,
    );
}

/**
 * The event's time as a Date, refused when it is missing, unreadable or further in the future than `maxClockSkewMs`:
 * projections keep "newest wins" rules on event times, so one event dated 9999 would freeze them forever.
 */
export function checkedEventTime(
  envelope: Pick<EventEnvelope, 'time'>,
  options: { now?: Date; maxClockSkewMs?: number } = {},
): Date {
  // ISO 8601 with a zone, as buildEnvelope writes it; Date.parse alone would read "2026-12-01" as local midnight.
  const parsed = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(envelope.time)
    ? new Date(envelope.time)
    : undefined;
  if (!parsed || Number.isNaN(parsed.getTime()))
    throw new RejectedEventError('MALFORMED', `ce_time ${JSON.stringify(envelope.time.slice(0, 64))} is not a time`);
  const now = options.now ?? new Date();
  const skew = options.maxClockSkewMs ?? DEFAULT_MAX_CLOCK_SKEW_MS;
  if (parsed.getTime() - now.getTime() > skew)
    throw new RejectedEventError(
      'FUTURE_TIME',
      `ce_time ${envelope.time} is more than ${skew} ms after the consumer's clock (${now.toISOString()})`,
    );
  return parsed;
}

export interface AcceptedEvent<Payload> {
  envelope: EventEnvelope<Payload>;
  /** `envelope.time`, checked: present and not beyond the clock skew. */
  time: Date;
}

export interface AcceptanceOptions {
  now?: Date;
  maxClockSkewMs?: number;
}

/**
 * Everything a consumer checks before a handler may see an event: a readable binary CloudEvent, of the type its
 * topic carries, from the declared producer, not dated in the future, with a payload its schema accepts. Throws
 * RejectedEventError; every consumer (the services' inbox consumer, partners' delivery) goes through this one gate.
 */
export function acceptEvent<Definition extends EventDefinition>(
  definition: Definition,
  message: { headers?: IHeaders; value: Buffer | null },
  options: AcceptanceOptions = {},
): AcceptedEvent<PayloadOf<Definition>> {
  let envelope: EventEnvelope;
  try {
    envelope = fromKafkaMessage(message);
  } catch (error) {
    if (error instanceof MalformedEventError) throw new RejectedEventError('MALFORMED', error.message);
    throw error;
  }
  // The inbox keys on these as uuid columns: anything else is a forgery, not a database error to retry.
  if (!UUID.test(envelope.id)) throw new RejectedEventError('MALFORMED', 'ce_id is not a UUID');
  if (envelope.communityid && !UUID.test(envelope.communityid))
    throw new RejectedEventError('MALFORMED', 'ce_communityid is not a UUID');
  if (envelope.type !== definition.cloudEventType)
    throw new RejectedEventError(
      'UNEXPECTED_TYPE',
      `topic ${definition.topic} carries ${definition.cloudEventType}, not ${JSON.stringify(envelope.type.slice(0, 200))}`,
    );
  assertDeclaredProducer(definition, envelope);
  const time = checkedEventTime(envelope, options);
  const parsed = definition.schema.safeParse(envelope.data);
  if (!parsed.success)
    throw new RejectedEventError(
      'SCHEMA_MISMATCH',
      `payload does not match ${definition.topic}: ${parsed.error.message}`,
    );
  return { envelope: { ...envelope, data: parsed.data as PayloadOf<Definition> }, time };
}
