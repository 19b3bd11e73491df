import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

@Entity('households')
export class HouseholdEntity {
  @PrimaryColumn('uuid')
  id!: string;

  @Column('uuid', { name: 'community_id' })
  communityId!: string;

  @Column('uuid', { name: 'grid_id' })
  gridId!: string;

  @Column('text')
  building!: string;

  @Column('text')
  unit!: string;

  @Column('text')
  room!: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
