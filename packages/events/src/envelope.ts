import { randomUUID } from 'node:crypto';
import type { IHeaders, Message } from 'kafkajs';
import type { EventDefinition } from './event-definition';

/**
 * A CloudEvents 1.0 event in Kafka binary content mode: the attributes travel as `ce_*` headers, the value is the
 * bare JSON payload. See docs/decisions/0003-events.md for why binary mode.
 */
export interface EventEnvelope<Payload = unknown> {
  id: string;
  source: string;
  type: string;
  specversion: '1.0';
  time: string;
  subject: string;
  datacontenttype: 'application/json';
  communityid: string;
  correlationid: string;
  causationid: string | null;
  data: Payload;
}

export interface EventMetadata {
  communityId: string;
  /**
   * The flow this event belongs to, end to end. Outbox.publish defaults it to the current request scope (the GraphQL
   * request's x-request-id, or the correlation id of the event a handler is reacting to); else the event's own id.
   */
  correlationId?: string;
  /** The event that caused this one; Outbox.publish defaults it to the event a consumer's handler is handling. */
  causationId?: string | null;
  id?: string;
  time?: Date;
}

export function buildEnvelope<Payload>(
  definition: EventDefinition,
  source: string,
  payload: Payload,
  metadata: EventMetadata,
): EventEnvelope<Payload> {
  const id = metadata.id ?? randomUUID();
  return {
    id,
    source,
    type: definition.cloudEventType,
    specversion: '1.0',
    time: (metadata.time ?? new Date()).toISOString(),
    subject: definition.key(payload),
    datacontenttype: 'application/json',
    communityid: metadata.communityId,
    correlationid: metadata.correlationId ?? id,
    causationid: metadata.causationId ?? null,
    data: payload,
  };
}

const ATTRIBUTES = [
  'id',
  'source',
  'type',
  'specversion',
  'time',
  'subject',
  'communityid',
  'correlationid',
  'causationid',
] as const;

export function envelopeHeaders(envelope: EventEnvelope): Record<string, string> {
  const headers: Record<string, string> = { 'content-type': envelope.datacontenttype };
  for (const attribute of ATTRIBUTES) {
    const value = envelope[attribute];
    if (value !== null) headers[`ce_${attribute}`] = value;
  }
  return headers;
}

export function toKafkaMessage(envelope: EventEnvelope): Message {
  return { key: envelope.subject, value: JSON.stringify(envelope.data), headers: envelopeHeaders(envelope) };
}

function header(headers: IHeaders | undefined, name: string): string | undefined {
  const value = headers?.[name];
  if (value === undefined) return undefined;
  const first = Array.isArray(value) ? value[0] : value;
  return first === undefined ? undefined : first.toString();
}

export class MalformedEventError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MalformedEventError';
  }
}

/** Reads a binary-mode CloudEvent; the payload is parsed JSON but not yet validated against the catalogue. */
export function fromKafkaMessage(message: { headers?: IHeaders; value: Buffer | null }): EventEnvelope {
  const attributes = Object.fromEntries(
    ATTRIBUTES.map((attribute) => [attribute, header(message.headers, `ce_${attribute}`)]),
  );
  for (const required of ['id', 'source', 'type', 'specversion'] as const) {
    if (!attributes[required]) throw new MalformedEventError(`missing ce_${required} header`);
  }
  if (attributes.specversion !== '1.0')
    throw new MalformedEventError(`unsupported specversion ${attributes.specversion}`);
  let data: unknown;
  try {
    data = JSON.parse(message.value?.toString('utf8') ?? 'null');
  } catch {
    throw new MalformedEventError('value is not JSON');
  }
  return {
    id: attributes.id!,
    source: attributes.source!,
    type: attributes.type!,
    specversion: '1.0',
    time: attributes.time ?? '',
    subject: attributes.subject ?? '',
    datacontenttype: 'application/json',
    communityid: attributes.communityid ?? '',
    correlationid: attributes.correlationid ?? attributes.id!,
    causationid: attributes.causationid ?? null,
    data,
  };
}
