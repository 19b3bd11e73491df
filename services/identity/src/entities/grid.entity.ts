import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

/** 网格: the unit of community management a grid leader (网格长) looks after. */
@Entity('grids')
export class GridEntity {
  @PrimaryColumn('uuid')
  id!: string;

  @Column('uuid', { name: 'community_id' })
  communityId!: string;

  @Column('text')
  name!: string;

  @Column('uuid', { name: 'leader_user_id', nullable: true })
  leaderUserId!: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
