import type { EventDefinition } from '../event-definition';
import { ASSETS_EVENTS } from './assets';
import { IDENTITY_EVENTS } from './identity';
import { MARKETPLACE_EVENTS } from './marketplace';
import { ORGANIZATIONS_EVENTS } from './organizations';
import { PARTNERS_EVENTS } from './partners';
import { VOLUNTEERING_EVENTS } from './volunteering';

/**
 * Every event of the system, one file per producer. A payload change that is not backwards compatible is a new
 * version (a new topic); additive optional fields are not. Public events carry ids and facts only: no phone numbers,
 * real names or addresses.
 */
export * from './assets';
export * from './identity';
export * from './marketplace';
export * from './organizations';
export * from './partners';
export * from './volunteering';

export const CATALOGUE: readonly EventDefinition[] = [
  ...IDENTITY_EVENTS,
  ...VOLUNTEERING_EVENTS,
  ...ORGANIZATIONS_EVENTS,
  ...MARKETPLACE_EVENTS,
  ...ASSETS_EVENTS,
  ...PARTNERS_EVENTS,
];

export const PUBLIC_EVENTS = CATALOGUE.filter((definition) => definition.visibility === 'public');

export function definitionForTopic(topic: string): EventDefinition | undefined {
  return CATALOGUE.find((definition) => definition.topic === topic);
}
