import { Column, Entity, PrimaryColumn } from 'typeorm';

@Entity('slots')
export class SlotEntity {
  @PrimaryColumn('uuid')
  id!: string;

  @Column('uuid', { name: 'offering_id' })
  offeringId!: string;

  @Column('timestamptz', { name: 'starts_at' })
  startsAt!: Date;

  @Column('timestamptz', { name: 'ends_at' })
  endsAt!: Date;

  @Column('integer')
  capacity!: number;

  /** Places held by orders that are not cancelled. */
  @Column('integer')
  taken!: number;
}
