import { type z } from 'zod';

export type Visibility = 'public' | 'internal';

export interface EventDefinition<Schema extends z.ZodType = z.ZodType> {
  /** e.g. `points.awarded`; the CloudEvents `type` is `taoyuan.<type>`. */
  type: string;
  version: number;
  /** `taoyuan.<type>.v<version>`: one topic per event type and version. */
  topic: string;
  /** CloudEvents type attribute. */
  cloudEventType: string;
  schema: Schema;
  /** The aggregate id used as Kafka message key, so one aggregate's events stay in order. */
  key: (payload: z.infer<Schema>) => string;
  /** What `key` is, for the AsyncAPI document. */
  keyDescription: string;
  /** Public events are what partner agencies may read: ids and facts, never phone numbers, names or addresses. */
  visibility: Visibility;
  producer: string;
  description: string;
}

export type PayloadOf<Definition> = Definition extends EventDefinition<infer Schema> ? z.infer<Schema> : never;

export function defineEvent<Schema extends z.ZodObject>(
  definition: Omit<EventDefinition<Schema>, 'topic' | 'cloudEventType'>,
): EventDefinition<Schema> {
  return {
    ...definition,
    topic: `taoyuan.${definition.type}.v${definition.version}`,
    cloudEventType: `taoyuan.${definition.type}.v${definition.version}`,
  };
}

export function dlqTopic(topic: string): string {
  return `${topic}.dlq`;
}
