import { NotificationsInitial1764892800000 } from './1764892800000-notifications-initial';
import { NotificationsCreatedAtIndex1764979200000 } from './1764979200000-notifications-created-at-index';

export const notificationsMigrations = [NotificationsInitial1764892800000, NotificationsCreatedAtIndex1764979200000];
