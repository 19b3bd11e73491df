import { requireCaller, requireUuid, type ServiceContext } from '@taoyuan/service-kit';
import { Arg, Authorized, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { DataSource } from 'typeorm';
import { consentablePartners, consentsOf, type DataConsentView } from '../domain/data-consent-queries';
import type { DataConsentService } from '../domain/data-consent.service';
import { DataConsentScope } from '../entities/data-consent.entity';
import type { UserEntity } from '../entities/user.entity';
import { ConsentablePartnerType, DataConsentType } from '../schema/data-consent.type';
import { UserType } from '../schema/user.type';

/** A resident's consents to partners: only they grant, revoke and read them. */
@Resolver(() => UserType)
export class DataConsentResolver {
  constructor(
    private readonly db: DataSource,
    private readonly consents: DataConsentService,
  ) {}

  @Authorized()
  @Query(() => [ConsentablePartnerType], {
    description: 'Partners serving your community that may receive your records if you consent',
  })
  consentablePartners(@Ctx() context: ServiceContext): Promise<ConsentablePartnerType[]> {
    return consentablePartners(this.db, requireCaller(context).communityId);
  }

  @Authorized()
  @Mutation(() => DataConsentType, { description: 'Let a partner receive your records in this scope' })
  async grantDataConsent(
    @Ctx() context: ServiceContext,
    @Arg('partnerClientId', () => ID) partnerClientId: string,
    @Arg('scope', () => DataConsentScope) scope: DataConsentScope,
  ): Promise<DataConsentView> {
    const caller = requireCaller(context);
    await this.consents.grant(caller, requireUuid(partnerClientId, 'partnerClientId'), scope);
    return this.viewOf(caller.userId, partnerClientId.toLowerCase(), scope);
  }

  @Authorized()
  @Mutation(() => DataConsentType, { description: 'Withdraw a consent: nothing more is sent from now on' })
  async revokeDataConsent(
    @Ctx() context: ServiceContext,
    @Arg('partnerClientId', () => ID) partnerClientId: string,
    @Arg('scope', () => DataConsentScope) scope: DataConsentScope,
  ): Promise<DataConsentView> {
    const caller = requireCaller(context);
    await this.consents.revoke(caller, requireUuid(partnerClientId, 'partnerClientId'), scope);
    return this.viewOf(caller.userId, partnerClientId.toLowerCase(), scope);
  }

  @FieldResolver(() => [DataConsentType], {
    nullable: true,
    description: 'Your consents to partners, granted and withdrawn (only for yourself; null for anyone else)',
  })
  async dataConsents(@Root() user: UserEntity, @Ctx() context: ServiceContext): Promise<DataConsentView[] | null> {
    if (context.caller?.userId !== user.id) return null;
    return consentsOf(this.db, user.id);
  }

  private async viewOf(userId: string, partnerClientId: string, scope: DataConsentScope): Promise<DataConsentView> {
    const views = await consentsOf(this.db, userId);
    return views.find((view) => view.partnerClientId === partnerClientId && view.scope === scope)!;
  }
}
