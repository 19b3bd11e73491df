import { requireCaller, requireUuid, type ServiceContext } from '@taoyuan/service-kit';
import { Arg, Authorized, Ctx, ID, Mutation, Query, Resolver } from 'type-graphql';
import type { DataSource } from 'typeorm';
import { partnerClientsOfCommunity, withApprovals, type PartnerClientView } from '../domain/partner-client-queries';
import type { PartnerClientService } from '../domain/partner-client.service';
import { PartnerClientSecretType, PartnerClientType, RegisterPartnerClientInput } from '../schema/partner-client.type';
import { Role } from '../schema/role.enum';

@Resolver(() => PartnerClientType)
export class PartnerClientResolver {
  constructor(
    private readonly db: DataSource,
    private readonly clients: PartnerClientService,
  ) {}

  @Authorized(Role.COMMUNITY_WORKER, Role.COMMITTEE, Role.ADMIN)
  @Query(() => [PartnerClientType], { description: 'Partner clients serving your community, newest first' })
  partnerClients(@Ctx() context: ServiceContext): Promise<PartnerClientView[]> {
    return partnerClientsOfCommunity(this.db, requireCaller(context));
  }

  @Authorized(Role.COMMUNITY_WORKER, Role.COMMITTEE, Role.ADMIN)
  @Mutation(() => PartnerClientSecretType, {
    description: 'Register a partner agency’s client; its secret is in this answer only. It works once approved.',
  })
  async registerPartnerClient(
    @Ctx() context: ServiceContext,
    @Arg('input', () => RegisterPartnerClientInput) input: RegisterPartnerClientInput,
  ): Promise<PartnerClientSecretType> {
    const communityIds = input.communityIds.map((id) => requireUuid(id, 'communityIds'));
    const issued = await this.clients.register(requireCaller(context), { ...input, communityIds });
    const [client] = await withApprovals(this.db, [issued.client]);
    return { client: client, clientSecret: issued.clientSecret };
  }

  @Authorized(Role.COMMITTEE)
  @Mutation(() => PartnerClientType, {
    description: 'Approve a partner client for your community; it turns ACTIVE once every community served has',
  })
  async approvePartnerClient(
    @Ctx() context: ServiceContext,
    @Arg('clientId', () => ID) clientId: string,
  ): Promise<PartnerClientView> {
    const client = await this.clients.approve(requireCaller(context), requireUuid(clientId, 'clientId'));
    return (await withApprovals(this.db, [client]))[0];
  }

  @Authorized(Role.COMMITTEE, Role.ADMIN)
  @Mutation(() => PartnerClientSecretType, { description: 'A new secret, shown once; the old one stops working' })
  async rotatePartnerClientSecret(
    @Ctx() context: ServiceContext,
    @Arg('clientId', () => ID) clientId: string,
  ): Promise<PartnerClientSecretType> {
    const issued = await this.clients.rotateSecret(requireCaller(context), requireUuid(clientId, 'clientId'));
    const [client] = await withApprovals(this.db, [issued.client]);
    return { client: client, clientSecret: issued.clientSecret };
  }

  @Authorized(Role.COMMITTEE, Role.ADMIN)
  @Mutation(() => PartnerClientType, {
    description: 'Revoke a partner client: no new tokens; tokens already issued expire within minutes',
  })
  async revokePartnerClient(
    @Ctx() context: ServiceContext,
    @Arg('clientId', () => ID) clientId: string,
  ): Promise<PartnerClientView> {
    const client = await this.clients.revoke(requireCaller(context), requireUuid(clientId, 'clientId'));
    return (await withApprovals(this.db, [client]))[0];
  }
}
