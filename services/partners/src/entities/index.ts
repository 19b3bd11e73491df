import { WebhookEndpointEntity } from './webhook-endpoint.entity';

export { WebhookEndpointEntity };
export const partnersEntities = [WebhookEndpointEntity];
