import { requireUuid, isUuid, type Connection, type ServiceContext } from '@taoyuan/service-kit';
import { Arg, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import { isStaffOf, type AccessPolicy } from '../domain/access-policy';
import type { CatalogueQueries } from '../domain/catalogue-queries';
import type { OrderQueries } from '../domain/order-queries';
import type { ProviderService } from '../domain/provider.service';
import type { ProviderRating, ReviewQueries } from '../domain/review-queries';
import type { OrderEntity } from '../entities/order.entity';
import type { ProviderEntity } from '../entities/provider.entity';
import {
  ProviderConnection,
  ProviderFilter,
  ProviderRatingType,
  ProviderType,
  RegisterProviderInput,
} from '../schema/catalogue.type';
import { OrderStatus } from '../schema/enums';
import { OrderConnection } from '../schema/order.type';
import { OrganizationRef } from '../schema/refs.type';

/** Keeps the first three and last two characters: enough to recognise, too little to call or visit. */
export function maskContact(contact: string): string {
  const characters = [...contact];
  if (characters.length <= 6) return '****';
  return `${characters.slice(0, 3).join('')}****${characters.slice(-2).join('')}`;
}

@Resolver(() => ProviderType)
export class ProviderResolver {
  constructor(
    private readonly service: ProviderService,
    private readonly catalogue: CatalogueQueries,
    private readonly orderQueries: OrderQueries,
    private readonly reviewQueries: ReviewQueries,
    private readonly policy: AccessPolicy,
  ) {}

  @Query(() => ProviderType, { nullable: true, description: 'A provider of your community you may see' })
  async provider(@Arg('id', () => ID) id: string, @Ctx() context: ServiceContext): Promise<ProviderEntity | null> {
    if (!isUuid(id)) return null;
    const [provider] = await this.catalogue.visibleProviders(context, [id.toLowerCase()]);
    return provider ?? null;
  }

  @Query(() => ProviderConnection, {
    description: 'Verified providers of your community (staff: all; managers: also their own), newest first',
  })
  providers(
    @Ctx() context: ServiceContext,
    @Arg('filter', () => ProviderFilter, { nullable: true }) filter: ProviderFilter | null,
    @Arg('first', () => Int, { nullable: true, description: '1–100, default 20' }) first: number | null,
    @Arg('after', () => String, { nullable: true }) after: string | null,
  ): Promise<Connection<ProviderEntity>> {
    return this.catalogue.providers(context, filter ?? {}, first, after);
  }

  @Mutation(() => ProviderType, {
    description:
      'Register a provider (PENDING until staff verify it). GOVERNMENT, ENTERPRISE and community-run: staff; SOCIAL_ORGANIZATION: a leader of the organization; RESIDENT: yourself',
  })
  registerProvider(
    @Ctx() context: ServiceContext,
    @Arg('input', () => RegisterProviderInput) input: RegisterProviderInput,
  ): Promise<ProviderEntity> {
    const organizationId = input.organizationId ? requireUuid(input.organizationId, 'organizationId') : null;
    return this.service.register(context, { ...input, organizationId });
  }

  @Mutation(() => ProviderType, { description: 'Staff, never for a provider they registered' })
  verifyProvider(@Ctx() context: ServiceContext, @Arg('id', () => ID) id: string): Promise<ProviderEntity> {
    return this.service.decide(context, requireUuid(id, 'id'), 'VERIFY', null);
  }

  @Mutation(() => ProviderType, { description: 'Staff, with a reason' })
  rejectProvider(
    @Ctx() context: ServiceContext,
    @Arg('id', () => ID) id: string,
    @Arg('reason') reason: string,
  ): Promise<ProviderEntity> {
    return this.service.decide(context, requireUuid(id, 'id'), 'REJECT', reason);
  }

  @Mutation(() => ProviderType, {
    description: 'Staff, with a reason: its offerings leave the catalogue; open orders can still finish',
  })
  suspendProvider(
    @Ctx() context: ServiceContext,
    @Arg('id', () => ID) id: string,
    @Arg('reason') reason: string,
  ): Promise<ProviderEntity> {
    return this.service.decide(context, requireUuid(id, 'id'), 'SUSPEND', reason);
  }

  @Mutation(() => ProviderType, { description: 'Staff: a suspended provider becomes verified again' })
  reinstateProvider(@Ctx() context: ServiceContext, @Arg('id', () => ID) id: string): Promise<ProviderEntity> {
    return this.service.decide(context, requireUuid(id, 'id'), 'REINSTATE', null);
  }

  @FieldResolver(() => String, { description: 'In full for staff and the provider’s managers, masked for others' })
  async contact(@Root() provider: ProviderEntity, @Ctx() context: ServiceContext): Promise<string> {
    if (isStaffOf(context.caller, provider.communityId)) return provider.contact;
    const managed = await this.policy.managedProviderIds(context);
    return managed.has(provider.id) ? provider.contact : maskContact(provider.contact);
  }

  @FieldResolver(() => OrganizationRef, { nullable: true, description: 'The organization, for SOCIAL_ORGANIZATION' })
  organization(@Root() provider: ProviderEntity): OrganizationRef | null {
    return provider.organizationId ? { id: provider.organizationId } : null;
  }

  @FieldResolver(() => ProviderRatingType)
  rating(@Root() provider: ProviderEntity, @Ctx() context: ServiceContext): Promise<ProviderRating> {
    return this.reviewQueries.ratingOf(context, provider.id);
  }

  @FieldResolver(() => OrderConnection, {
    nullable: true,
    description: 'Its orders, newest first: for its managers and staff (null for others)',
  })
  orders(
    @Root() provider: ProviderEntity,
    @Ctx() context: ServiceContext,
    @Arg('status', () => OrderStatus, { nullable: true }) status: OrderStatus | null,
    @Arg('first', () => Int, { nullable: true }) first: number | null,
    @Arg('after', () => String, { nullable: true }) after: string | null,
  ): Promise<Connection<OrderEntity> | null> {
    return this.orderQueries.list(context, { providerId: provider.id }, status, first, after);
  }
}
