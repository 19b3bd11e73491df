import { requireUuid } from '@taoyuan/service-kit';
import { Arg, Mutation, Resolver } from 'type-graphql';
import type { AuthService, RegistrationCodeRequest, Session } from '../domain/auth.service';
import { currentClientAddress } from '../domain/client-address';
import { RegisterInput } from '../schema/register.input';
import { RegistrationCodeRequestType } from '../schema/registration-code.type';
import { AuthPayloadType } from '../schema/user.type';

@Resolver()
export class AuthResolver {
  constructor(private readonly auth: AuthService) {}

  @Mutation(() => RegistrationCodeRequestType, {
    description: 'Send a one-time code to a phone, the first step of register (limited per phone and per address)',
  })
  requestRegistrationCode(@Arg('phone', () => String) phone: string): Promise<RegistrationCodeRequest> {
    return this.auth.requestRegistrationCode(phone, currentClientAddress());
  }

  @Mutation(() => AuthPayloadType, {
    description: 'Create a resident account in a community with the code sent to the phone, and sign in',
  })
  register(@Arg('input', () => RegisterInput) input: RegisterInput): Promise<Session> {
    return this.auth.register({ ...input, communityId: requireUuid(input.communityId, 'communityId') });
  }

  @Mutation(() => AuthPayloadType, { description: 'Sign in with phone and password' })
  login(@Arg('phone', () => String) phone: string, @Arg('password', () => String) password: string): Promise<Session> {
    return this.auth.login(phone, password, currentClientAddress());
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
