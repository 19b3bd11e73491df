import { Column, Entity, PrimaryColumn } from 'typeorm';

export enum DataConsentScope {
  VOLUNTEER_RECORDS_READ = 'volunteer-records:read',
}

export enum DataConsentStatus {
  GRANTED = 'GRANTED',
  REVOKED = 'REVOKED',
}

/** A resident's consent that one partner client receives their records in one scope; revocation keeps the row. */
@Entity('data_consents')
export class DataConsentEntity {
  @PrimaryColumn('uuid', { name: 'user_id' })
  userId!: string;

  @PrimaryColumn('uuid', { name: 'partner_client_id' })
  partnerClientId!: string;

  @PrimaryColumn('text')
  scope!: DataConsentScope;

  @Column('uuid')
  id!: string;

  @Column('uuid', { name: 'community_id' })
  communityId!: string;

  @Column('text')
  status!: DataConsentStatus;

  /** From one sequence: every change of anyone's consent is newer than the one before (events carry it). */
  @Column('bigint', { transformer: { to: (value: number) => value, from: (value: string) => Number(value) } })
  version!: number;

  @Column('timestamptz', { name: 'granted_at' })
  grantedAt!: Date;

  @Column('timestamptz', { name: 'revoked_at', nullable: true })
  revokedAt!: Date | null;
}
