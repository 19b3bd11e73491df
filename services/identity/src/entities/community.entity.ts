import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

@Entity('communities')
export class CommunityEntity {
  @PrimaryColumn('uuid')
  id!: string;

  @Column('text')
  name!: string;

  @Column('text')
  city!: string;

  @Column('text')
  district!: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
