import type { Role } from '@taoyuan/service-kit';
import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';
import type { CommunityEntity } from './community.entity';

@Entity('users')
export class UserEntity {
  @PrimaryColumn('uuid')
  id!: string;

  @Column('uuid', { name: 'community_id' })
  communityId!: string;

  /** Normalised mainland mobile number, 11 digits; unique across communities because it is the login name. */
  @Column('text')
  phone!: string;

  @Column('text', { name: 'display_name' })
  displayName!: string;

  @Column('text', { name: 'password_hash' })
  passwordHash!: string;

  @Column('text', { array: true })
  roles!: Role[];

  @Column('uuid', { name: 'household_id', nullable: true })
  householdId!: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  /** Not a column: the community when a read joined it in the same statement (see loadSignedInUser). */
  joinedCommunity?: CommunityEntity | null;
}
