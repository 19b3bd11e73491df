import { Column, Entity, PrimaryColumn } from 'typeorm';

export enum ResidenceStatus {
  /** The resident says they live here; nobody has checked yet. */
  CLAIMED = 'CLAIMED',
  /** A grid worker or committee member confirmed it: the resident's points count toward tiers. */
  CONFIRMED = 'CONFIRMED',
  REJECTED = 'REJECTED',
  /** A confirmation taken back (moved out, or confirmed by mistake). */
  REVOKED = 'REVOKED',
}

/** Where a resident lives, as they claimed it and as staff decided. One row per user; `version` counts decisions. */
@Entity('residences')
export class ResidenceEntity {
  @PrimaryColumn('uuid', { name: 'user_id' })
  userId!: string;

  @Column('uuid', { name: 'community_id' })
  communityId!: string;

  @Column('uuid', { name: 'household_id', nullable: true })
  householdId!: string | null;

  @Column('text')
  status!: ResidenceStatus;

  /** Increases with every decision; the `residenceVersion` of identity.residence.changed. */
  @Column('integer')
  version!: number;

  @Column('timestamptz', { name: 'claimed_at' })
  claimedAt!: Date;

  @Column('timestamptz', { name: 'decided_at', nullable: true })
  decidedAt!: Date | null;

  @Column('uuid', { name: 'decided_by', nullable: true })
  decidedBy!: string | null;

  /** Why a claim was rejected or a confirmation revoked. */
  @Column('text', { nullable: true })
  reason!: string | null;
}
