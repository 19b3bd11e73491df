import { ForbiddenError, hasAnyRole, Role, STAFF_ROLES, type Caller } from '@taoyuan/service-kit';

/**
 * Who may do what with a community's assets and money, decided here and nowhere else. Nothing crosses communities:
 * another community's worker is an outsider here, whatever their roles.
 */
export function isStaffOf(caller: Caller | null, communityId: string): boolean {
  return !!caller && caller.communityId === communityId && hasAnyRole(caller, STAFF_ROLES);
}

export function isMemberOf(caller: Caller | null, communityId: string): boolean {
  return !!caller && caller.communityId === communityId;
}

export function requireMemberOf(caller: Caller, communityId: string): Caller {
  if (caller.communityId !== communityId)
    throw new ForbiddenError('OTHER_COMMUNITY', 'This belongs to another community');
  return caller;
}

export function requireStaffOf(caller: Caller, communityId: string): Caller {
  requireMemberOf(caller, communityId);
  if (!hasAnyRole(caller, STAFF_ROLES))
    throw new ForbiddenError('STAFF_ONLY', 'Only the community’s staff (community workers, committee) can do this');
  return caller;
}

export function requireWorkerOf(caller: Caller, communityId: string): Caller {
  requireMemberOf(caller, communityId);
  if (!caller.roles.includes(Role.COMMUNITY_WORKER))
    throw new ForbiddenError('COMMUNITY_WORKER_ONLY', 'Only a community worker can do this');
  return caller;
}

export function requireCommitteeOf(caller: Caller, communityId: string): Caller {
  requireMemberOf(caller, communityId);
  if (!caller.roles.includes(Role.COMMITTEE))
    throw new ForbiddenError('COMMITTEE_ONLY', 'Only a committee member (居委会) can decide this');
  return caller;
}
