import { migrateSubgraph } from '@taoyuan/service-kit';
import { notificationsSubgraph } from './app';
import { loadNotificationsConfig } from './config';

async function main() {
  const applied = await migrateSubgraph(notificationsSubgraph(), loadNotificationsConfig());
  console.log(applied.length ? `applied: ${applied.join(', ')}` : 'notifications: no pending migrations');
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
