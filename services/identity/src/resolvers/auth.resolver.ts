import { Arg, Mutation, Resolver } from 'type-graphql';
import type { AuthService, Session } from '../domain/auth.service';
import { requireUuid } from '@taoyuan/service-kit';
import { AuthPayloadType } from '../schema/user.type';
import { RegisterInput } from '../schema/register.input';

@Resolver()
export class AuthResolver {
  constructor(private readonly auth: AuthService) {}

  @Mutation(() => AuthPayloadType, { description: 'Create a resident account in a community and sign in' })
  register(@Arg('input', () => RegisterInput) input: RegisterInput): Promise<Session> {
    return this.auth.register({ ...input, communityId: requireUuid(input.communityId, 'communityId') });
  }

  @Mutation(() => AuthPayloadType, { description: 'Sign in with phone and password' })
  login(@Arg('phone', () => String) phone: string, @Arg('password', () => String) password: string): Promise<Session> {
    return this.auth.login(phone, password);
  }

  @Mutation(() => AuthPayloadType, { description: 'Exchange a refresh token for a new access and refresh token' })
  refreshToken(@Arg('token', () => String) token: string): Promise<Session> {
    return this.auth.refresh(token);
  }

  @Mutation(() => Boolean, { description: 'End the session of this refresh token (all its rotations)' })
  logout(@Arg('refreshToken', () => String) refreshToken: string): Promise<boolean> {
    return this.auth.logout(refreshToken);
  }
}
