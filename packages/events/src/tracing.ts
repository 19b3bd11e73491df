import {
  context,
  propagation,
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  trace,
  type Attributes,
  type Context,
  type TextMapGetter,
} from '@opentelemetry/api';
import { tracingStarted } from '@taoyuan/service-kit';
import type { IHeaders } from 'kafkajs';

/**
 * Traces across Kafka with the CloudEvents distributed-tracing extension: the event carries the W3C `traceparent`
 * (and `tracestate`) of its creation as the `ce_traceparent` / `ce_tracestate` headers (binary mode, decision 0003).
 * The outbox row keeps them from the transaction that wrote it, the relay's publish span and the consumer's handling
 * span are children of that context, so one trace runs from a GraphQL request through every event it causes.
 * Without tracing none of this runs and no header is written.
 */
const tracer = trace.getTracer('@taoyuan/events');
const TRACE_FIELDS = ['traceparent', 'tracestate'] as const;

function headerText(headers: IHeaders | Record<string, string> | undefined, name: string): string | undefined {
  const value = headers?.[name];
  const first = Array.isArray(value) ? value[0] : value;
  return first === undefined ? undefined : first.toString();
}

const cloudEventsGetter: TextMapGetter<IHeaders | Record<string, string> | undefined> = {
  keys: () => [...TRACE_FIELDS],
  get: (headers, key) => headerText(headers, `ce_${key}`),
};

/** The trace context an event's `ce_traceparent` names (the root context when it names none). */
export function eventTraceContext(headers: IHeaders | Record<string, string> | undefined): Context {
  return propagation.extract(ROOT_CONTEXT, headers, cloudEventsGetter);
}

function messagingAttributes(topic: string, eventId: string, operation: string): Attributes {
  return {
    'messaging.system': 'kafka',
    'messaging.destination.name': topic,
    'messaging.operation.type': operation,
    'messaging.message.id': eventId,
  };
}

/**
 * For Outbox.publish: a `create <topic>` span in the writing transaction's trace and the extension headers naming it
 * (none without tracing).
 */
export function creationTraceHeaders(topic: string, eventId: string): Record<string, string> {
  if (!tracingStarted()) return {};
  const span = tracer.startSpan(`create ${topic}`, {
    kind: SpanKind.PRODUCER,
    attributes: messagingAttributes(topic, eventId, 'create'),
  });
  const carrier: Record<string, string> = {};
  propagation.inject(trace.setSpan(context.active(), span), carrier);
  span.end();
  const headers: Record<string, string> = {};
  for (const field of TRACE_FIELDS) if (carrier[field]) headers[`ce_${field}`] = carrier[field];
  return headers;
}

/** The relay's `publish <topic>` spans, one per outbox row, each in its event's trace; end them once Kafka answers. */
export function startPublishSpans(rows: { topic: string; event_id: string; headers: Record<string, string> }[]): {
  end(error?: unknown): void;
} {
  if (!tracingStarted()) return { end: () => undefined };
  const spans = rows.map((row) =>
    tracer.startSpan(
      `publish ${row.topic}`,
      { kind: SpanKind.PRODUCER, attributes: messagingAttributes(row.topic, row.event_id, 'publish') },
      eventTraceContext(row.headers),
    ),
  );
  return {
    end: (error) => {
      for (const span of spans) {
        if (error !== undefined) {
          if (error instanceof Error) span.recordException(error);
          span.setStatus({ code: SpanStatusCode.ERROR });
        }
        span.end();
      }
    },
  };
}

/**
 * Runs a consumer's handling of one event inside a `handle <topic>` span, a child of the event's creation, so what
 * the handler queries and publishes joins the trace of the request that caused the event.
 */
export async function inHandlingSpan<T>(
  event: { topic: string; partition: number; offset: string; eventId: string; groupId: string },
  headers: IHeaders | undefined,
  work: () => Promise<T>,
): Promise<T> {
  if (!tracingStarted()) return work();
  const extracted = eventTraceContext(headers);
  const parent = trace.getSpanContext(extracted) ? extracted : context.active();
  const span = tracer.startSpan(
    `handle ${event.topic}`,
    {
      kind: SpanKind.CONSUMER,
      attributes: {
        ...messagingAttributes(event.topic, event.eventId, 'process'),
        'messaging.consumer.group.name': event.groupId,
        'messaging.destination.partition.id': String(event.partition),
        'messaging.kafka.offset': Number(event.offset),
      },
    },
    parent,
  );
  try {
    return await context.with(trace.setSpan(parent, span), work);
  } catch (error) {
    if (error instanceof Error) span.recordException(error);
    span.setStatus({ code: SpanStatusCode.ERROR });
    throw error;
  } finally {
    span.end();
  }
}
