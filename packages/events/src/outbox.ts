import { currentCausationId, currentRequestId } from '@taoyuan/service-kit';
import type { EntityManager } from 'typeorm';
import { buildEnvelope, envelopeHeaders, type EventEnvelope, type EventMetadata } from './envelope';
import type { EventDefinition, PayloadOf } from './event-definition';
import { creationTraceHeaders } from './tracing';

export const OUTBOX_CHANNEL = 'taoyuan_outbox';

/** The columns an outbox row is written with, in the order of `OutboxRow.values`. */
const OUTBOX_COLUMNS = '(event_id, topic, message_key, community_id, headers, payload)';

/**
 * Writes events into the service's outbox table inside the caller's transaction: the event exists if and only if the
 * state change committed. The relay publishes it afterwards.
 */
export class Outbox {
  /** @param source CloudEvents source of this service, e.g. `/taoyuan/identity` */
  constructor(readonly source: string) {}

  async publish<Definition extends EventDefinition>(
    manager: EntityManager,
    definition: Definition,
    payload: PayloadOf<Definition>,
    metadata: EventMetadata,
  ): Promise<EventEnvelope<PayloadOf<Definition>>> {
    if (!manager.queryRunner?.isTransactionActive)
      throw new Error(`Outbox.publish(${definition.type}) must run inside the state change's transaction`);
    const row = this.prepare(definition, payload, metadata);
    // The notification, delivered at commit and never for a rollback, wakes the relay without polling; it rides in
    // the same statement, so publishing costs one round trip (often while the caller holds a row lock).
    await manager.query(
      `WITH written AS (INSERT INTO outbox ${OUTBOX_COLUMNS} VALUES ($1, $2, $3, $4, $5, $6) RETURNING event_id)
       SELECT pg_notify($7, '') FROM written`,
      [...row.values, OUTBOX_CHANNEL],
    );
    return row.envelope;
  }

  /**
   * The outbox row of an event, validated, for a statement that writes it together with the state change it
   * announces (e.g. volunteering's sign_up_for_shift(), which also calls `pg_notify` of OUTBOX_CHANNEL): the row must
   * commit with that change, exactly as `publish` guarantees.
   */
  prepare<Definition extends EventDefinition>(
    definition: Definition,
    payload: PayloadOf<Definition>,
    metadata: EventMetadata,
  ): OutboxRow<PayloadOf<Definition>> {
    // Validated on the way out, so a producer bug fails its own transaction instead of poisoning consumers.
    const data = definition.schema.parse(payload) as PayloadOf<Definition>;
    // Inside a GraphQL request the correlation id is its x-request-id; inside a consumer's handler it is the consumed
    // event's correlation id and the cause is that event. Explicit metadata wins.
    const envelope = buildEnvelope(definition, this.source, data, {
      ...metadata,
      correlationId: metadata.correlationId ?? currentRequestId(),
      causationId: metadata.causationId ?? currentCausationId() ?? null,
    });
    return {
      envelope,
      // The row keeps the trace context of this transaction (ce_traceparent) for the relay and the consumers.
      values: [
        envelope.id,
        definition.topic,
        envelope.subject,
        envelope.communityid,
        JSON.stringify({ ...envelopeHeaders(envelope), ...creationTraceHeaders(definition.topic, envelope.id) }),
        JSON.stringify(data),
      ],
    };
  }
}

export interface OutboxRow<Payload> {
  envelope: EventEnvelope<Payload>;
  /** event_id, topic, message_key, community_id, headers and payload (JSON text). */
  values: readonly [string, string, string, string | null, string, string];
}
