import { z } from 'zod';
import { CATALOGUE } from './catalogue';
import { producerSource } from './event-acceptance';
import type { EventDefinition } from './event-definition';

const CE_HEADERS = {
  type: 'object',
  required: [
    'ce_id',
    'ce_source',
    'ce_type',
    'ce_specversion',
    'ce_time',
    'ce_subject',
    'ce_communityid',
    'ce_correlationid',
  ],
  properties: {
    ce_id: {
      type: 'string',
      format: 'uuid',
      description: 'Unique event id. Deduplicate by it: delivery is at least once.',
    },
    ce_source: {
      type: 'string',
      description:
        'The producing service, /taoyuan/<producer>. Taoyuan’s consumers dead-letter an event type from any source but its declared producer.',
    },
    ce_type: { type: 'string', description: 'taoyuan.<type>.v<version>' },
    ce_specversion: { type: 'string', const: '1.0' },
    ce_time: {
      type: 'string',
      format: 'date-time',
      description:
        'When the fact happened. Taoyuan’s consumers dead-letter an event dated more than a small clock skew (default 5 minutes) in the future.',
    },
    ce_subject: { type: 'string', description: 'The aggregate id, also the Kafka message key' },
    ce_communityid: { type: 'string', format: 'uuid', description: 'Community (tenant) the event belongs to' },
    ce_correlationid: {
      type: 'string',
      description:
        'Id shared by every event of one business flow: the x-request-id of the GraphQL request that started it (the gateway returns it in the x-request-id response header), carried into every event published while handling that request and into the events consumers publish in reaction. The event’s own id when the flow started without a request.',
    },
    ce_causationid: {
      type: 'string',
      description: 'Id of the event whose handling published this one; absent when a request published it directly',
    },
    ce_traceparent: {
      type: 'string',
      description:
        'CloudEvents distributed-tracing extension: the W3C traceparent of the transaction that wrote the event, when the producer traces (OpenTelemetry). A consumer may start its handling span as a child of it.',
    },
    ce_tracestate: { type: 'string', description: 'W3C tracestate accompanying ce_traceparent, when there is one' },
    'content-type': { type: 'string', const: 'application/json' },
  },
};

/** One event type's headers: the shared ones, with its source and type fixed (consumers refuse any other). */
function ceHeaders(definition: EventDefinition): Record<string, unknown> {
  return {
    allOf: [
      { $ref: '#/components/schemas/CloudEventHeaders' },
      {
        type: 'object',
        properties: {
          ce_source: { type: 'string', const: producerSource(definition.producer) },
          ce_type: { type: 'string', const: definition.cloudEventType },
        },
      },
    ],
  };
}

function channelId(definition: EventDefinition): string {
  return definition.type.replace(/[^a-zA-Z0-9]+/g, '-');
}

/** The AsyncAPI 3 document partners read: one channel per topic, payloads as JSON Schema from the catalogue. */
export function buildAsyncApiDocument(): Record<string, unknown> {
  const channels: Record<string, unknown> = {};
  const operations: Record<string, unknown> = {};
  const messages: Record<string, unknown> = {};
  for (const definition of CATALOGUE) {
    const id = channelId(definition);
    const { $schema: _ignored, ...payload } = z.toJSONSchema(definition.schema, { target: 'draft-07' }) as Record<
      string,
      unknown
    >;
    messages[id] = {
      name: definition.cloudEventType,
      title: definition.type,
      summary: definition.description,
      contentType: 'application/json',
      headers: ceHeaders(definition),
      payload,
      bindings: { kafka: { key: { type: 'string', description: definition.keyDescription }, bindingVersion: '0.5.0' } },
    };
    channels[id] = {
      address: definition.topic,
      title: definition.type,
      description: `${definition.description} ${definition.visibility === 'public' ? 'Public: partner agencies may subscribe.' : 'Internal to Taoyuan services.'}`,
      messages: { [id]: { $ref: `#/components/messages/${id}` } },
      tags: [{ name: definition.visibility }, { name: definition.producer }],
    };
    operations[`receive-${id}`] = {
      action: 'receive',
      channel: { $ref: `#/channels/${id}` },
      summary: `Receive ${definition.type} (key: ${definition.keyDescription})`,
    };
  }
  return {
    asyncapi: '3.0.0',
    info: {
      title: 'Taoyuan events',
      version: '1.0.0',
      description: [
        'Events of the Taoyuan community public-welfare platform, on Kafka.',
        'Envelope: CloudEvents 1.0 in Kafka binary content mode (attributes as ce_* headers, the value is the JSON payload).',
        'One topic per event type and version: taoyuan.<type>.v<version>. The message key is the aggregate id, so one aggregate’s events are in order within its partition.',
        'Delivery is at least once: deduplicate by ce_id. Public events carry ids and facts only, never phone numbers, names or addresses.',
        'An event may be delivered again, late, by `pnpm dlq replay` (same ce_id, with a taoyuan_replay_of header): deduplication by ce_id covers it.',
      ].join('\n'),
    },
    defaultContentType: 'application/json',
    servers: {
      production: { host: 'kafka:9092', protocol: 'kafka', description: 'Apache Kafka (docker-compose.yml)' },
      local: { host: '127.0.0.1:9092', protocol: 'kafka', description: 'the development broker started by pnpm start' },
    },
    channels,
    operations,
    components: { schemas: { CloudEventHeaders: CE_HEADERS }, messages },
  };
}
