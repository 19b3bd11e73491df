import {
  CALLER_INDEPENDENT,
  isUuid,
  requireCommunityRole,
  STAFF_ROLES,
  type ServiceContext,
} from '@taoyuan/service-kit';
import { Arg, Ctx, Directive, FieldResolver, ID, Query, Resolver, Root } from 'type-graphql';
import type { DataSource } from 'typeorm';
import { CommunityEntity } from '../entities/community.entity';
import type { GridEntity } from '../entities/grid.entity';
import type { HouseholdEntity } from '../entities/household.entity';
import type { UserEntity } from '../entities/user.entity';
import { CommunityType, GridType, HouseholdType } from '../schema/community.type';
import { UserType } from '../schema/user.type';
import { loadCommunities, loadGridsOfCommunity, loadHouseholdsOfGrid, loadUsers } from './loaders';

@Resolver(() => CommunityType)
export class CommunityResolver {
  constructor(private readonly db: DataSource) {}

  @Directive(CALLER_INDEPENDENT)
  @Query(() => CommunityType, { nullable: true, description: 'A community by id (public)' })
  async community(@Arg('id', () => ID) id: string, @Ctx() context: ServiceContext): Promise<CommunityEntity | null> {
    if (!isUuid(id)) return null;
    const [community] = await loadCommunities(this.db, context, [id]);
    return community ?? null;
  }

  @Directive(CALLER_INDEPENDENT)
  @Query(() => [CommunityType], {
    description: 'All communities on the platform (public: a resident picks one to register)',
  })
  communities(): Promise<CommunityEntity[]> {
    return this.db.getRepository(CommunityEntity).find({ order: { createdAt: 'ASC', name: 'ASC' } });
  }

  @Directive(CALLER_INDEPENDENT)
  @FieldResolver(() => [GridType])
  grids(@Root() community: CommunityEntity, @Ctx() context: ServiceContext): Promise<GridEntity[]> {
    return loadGridsOfCommunity(this.db, context, community.id);
  }
}

@Resolver(() => GridType)
export class GridResolver {
  constructor(private readonly db: DataSource) {}

  @Directive(CALLER_INDEPENDENT)
  @FieldResolver(() => UserType, { nullable: true, description: 'Grid leader (网格长)' })
  async leader(@Root() grid: GridEntity, @Ctx() context: ServiceContext): Promise<UserEntity | null> {
    if (!grid.leaderUserId) return null;
    const [leader] = await loadUsers(this.db, context, [grid.leaderUserId]);
    return leader ?? null;
  }

  @FieldResolver(() => [HouseholdType], { description: 'Households of the grid; staff of the community only' })
  households(@Root() grid: GridEntity, @Ctx() context: ServiceContext): Promise<HouseholdEntity[]> {
    requireCommunityRole(context, grid.communityId, STAFF_ROLES);
    return loadHouseholdsOfGrid(this.db, context, grid.id);
  }
}
