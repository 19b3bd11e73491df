import { z } from 'zod';
import { defineEvent, type EventDefinition } from '../event-definition';
import { id, timestamp } from './fields';

export const WebhookEndpointDisabled = defineEvent({
  type: 'partners.webhook-endpoint.disabled',
  version: 1,
  producer: 'partners',
  visibility: 'internal',
  description:
    'A partner’s webhook endpoint kept failing for about a day (or its client was revoked) and was disabled; the partner also finds a notice beside the endpoint.',
  keyDescription: 'endpointId',
  key: (p) => p.endpointId,
  schema: z.object({
    endpointId: id(),
    clientId: id(),
    reason: z.string().max(300),
    disabledAt: timestamp(),
  }),
});

export const PARTNERS_EVENTS: readonly EventDefinition[] = [WebhookEndpointDisabled];
