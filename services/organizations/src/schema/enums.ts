import { registerEnumType } from 'type-graphql';
import { MembershipRole, MembershipStatus, PromotionStatus } from '../domain/ladder';
import { JoinPolicy, OrganizationKind, OrganizationStatus } from '../domain/organization-values';

registerEnumType(OrganizationKind, {
  name: 'OrganizationKind',
  description: 'What sort of community social organization (社会组织) it is',
});

registerEnumType(JoinPolicy, {
  name: 'JoinPolicy',
  description: 'How residents join',
  valuesConfig: {
    OPEN: { description: 'Anyone in the community joins at once' },
    APPROVAL: { description: 'A BACKBONE or LEADER approves each application' },
  },
});

registerEnumType(OrganizationStatus, {
  name: 'OrganizationStatus',
  description: 'PENDING_APPROVAL → ACTIVE ⇄ SUSPENDED → DISSOLVED; or PENDING_APPROVAL → REJECTED',
});

registerEnumType(MembershipRole, {
  name: 'MembershipRole',
  description: 'The talent ladder (人才阶梯): each step is earned with points and approved',
  valuesConfig: {
    MEMBER: { description: '成员' },
    ACTIVIST: { description: '积极分子: approved by a LEADER' },
    BACKBONE: { description: '骨干: approved by a LEADER; may organize the organization’s opportunities' },
    LEADER: { description: '负责人: approved by the community committee' },
  },
});

registerEnumType(MembershipStatus, {
  name: 'MembershipStatus',
  description: 'PENDING → ACTIVE → LEFT / REMOVED; PENDING → REJECTED',
});

registerEnumType(PromotionStatus, {
  name: 'PromotionStatus',
  valuesConfig: {
    ELIGIBLE: { description: 'Waiting for a decision' },
    APPROVED: { description: 'The membership moved up' },
    DECLINED: { description: 'Declined with a reason; only a new tier raises it again' },
    SUPERSEDED: { description: 'Closed without a decision because the membership ended' },
  },
});

export { JoinPolicy, MembershipRole, MembershipStatus, OrganizationKind, OrganizationStatus, PromotionStatus };
