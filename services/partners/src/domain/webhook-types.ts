import { PUBLIC_EVENTS } from '@taoyuan/events';

/**
 * A consenting resident's verified volunteer hours with their name, for partners holding `volunteer-records:read`
 * (e.g. the bureau's volunteer registry). Exists only as a webhook: no Kafka topic carries names.
 */
export const VOLUNTEER_RECORD_TYPE = 'volunteer-record.verified';
export const CONSENT_SCOPE = 'volunteer-records:read';

/** Event types a partner may subscribe an endpoint to: every public event, plus the personal record. */
export const WEBHOOK_EVENT_TYPES: readonly string[] = [
  ...new Set(PUBLIC_EVENTS.map((definition) => definition.type)),
  VOLUNTEER_RECORD_TYPE,
];
