import type { Logger } from '@taoyuan/service-kit';
import type { DataSource } from 'typeorm';
import type { Ledger } from '../domain/ledger';
export async function seedAssetsDemo(_db: DataSource, _ledger: Ledger, _logger: Logger): Promise<void> {}
