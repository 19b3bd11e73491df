import type { Role } from '@taoyuan/service-kit';
import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

/** Audit trail of role grants and revocations: who changed whose role, when. */
@Entity('role_changes')
export class RoleChangeEntity {
  @PrimaryColumn('uuid')
  id!: string;

  @Column('uuid', { name: 'community_id' })
  communityId!: string;

  @Column('uuid', { name: 'user_id' })
  userId!: string;

  @Column('text')
  role!: Role;

  @Column('text')
  action!: 'GRANTED' | 'REVOKED';

  @Column('uuid', { name: 'changed_by' })
  changedBy!: string;

  @CreateDateColumn({ name: 'changed_at', type: 'timestamptz' })
  changedAt!: Date;
}
