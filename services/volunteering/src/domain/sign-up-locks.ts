import { NotFoundError, type Caller } from '@taoyuan/service-kit';
import type { EntityManager } from 'typeorm';
import { OpportunityEntity } from '../entities/opportunity.entity';
import { SignUpEntity } from '../entities/sign-up.entity';
import type { OrganizerPolicy } from './organizer-policy';

/** A sign-up locked for the rest of the transaction, so two changes to it (e.g. two verifications) queue up. */
export async function lockSignUp(manager: EntityManager, signUpId: string): Promise<SignUpEntity> {
  const signUp = await manager.findOne(SignUpEntity, { where: { id: signUpId }, lock: { mode: 'pessimistic_write' } });
  if (!signUp) throw new NotFoundError('Sign-up', signUpId);
  return signUp;
}

/** A sign-up locked for an organizer's decision (verify, no-show); FORBIDDEN unless the caller organizes it. */
export async function lockSignUpToOrganize(
  manager: EntityManager,
  organizers: OrganizerPolicy,
  caller: Caller,
  signUpId: string,
): Promise<{ signUp: SignUpEntity; opportunity: OpportunityEntity }> {
  const signUp = await lockSignUp(manager, signUpId);
  const opportunity = await manager.findOneByOrFail(OpportunityEntity, { id: signUp.opportunityId });
  await organizers.requireOrganizer(manager, caller, opportunity);
  return { signUp, opportunity };
}
