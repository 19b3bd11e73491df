import { NeedEntity } from './need.entity';
import { OfferingEntity } from './offering.entity';
import { OrderEntity } from './order.entity';
import { ProviderEntity } from './provider.entity';
import { ReviewEntity } from './review.entity';
import { SlotEntity } from './slot.entity';

export { NeedEntity, OfferingEntity, OrderEntity, ProviderEntity, ReviewEntity, SlotEntity };
export const marketplaceEntities = [ProviderEntity, OfferingEntity, SlotEntity, OrderEntity, NeedEntity, ReviewEntity];
