import { NotificationEntity } from './notification.entity';

export { NotificationEntity };
export const notificationsEntities = [NotificationEntity];
