import { NotificationsInitial1764892800000 } from './1764892800000-notifications-initial';

export const notificationsMigrations = [NotificationsInitial1764892800000];
