import { registerEnumType } from 'type-graphql';
import {
  NeedStatus,
  OfferingStatus,
  OrderCancelReason,
  OrderStatus,
  PayWith,
  ProviderKind,
  ProviderStatus,
  ServiceCategory,
  TargetGroup,
} from '../domain/vocabulary';

registerEnumType(ProviderKind, {
  name: 'ProviderKind',
  description: 'The four suppliers of the community’s services (立体式供给体系)',
  valuesConfig: {
    GOVERNMENT: { description: '政府: e.g. 街道党群服务中心, 社区健康服务中心 (registered by staff)' },
    ENTERPRISE: { description: '企业: e.g. 物业公司, 家政公司, 社区食堂 (registered by staff)' },
    SOCIAL_ORGANIZATION: { description: '社会组织: an Organization, registered only by its LEADER' },
    RESIDENT: { description: '居民: a resident with a skill, e.g. a retired teacher or an electrician' },
  },
});

registerEnumType(ProviderStatus, {
  name: 'ProviderStatus',
  description: 'PENDING → VERIFIED or REJECTED by community staff; VERIFIED ⇄ SUSPENDED',
  valuesConfig: {
    PENDING: { description: 'Waiting for a community worker or committee member' },
    VERIFIED: { description: 'Its published offerings are in the catalogue' },
    REJECTED: { description: 'Not admitted (with a reason)' },
    SUSPENDED: { description: 'Its offerings left the catalogue; open orders can still be completed or cancelled' },
  },
});

registerEnumType(ServiceCategory, {
  name: 'ServiceCategory',
  valuesConfig: {
    ELDERLY_CARE: { description: '养老' },
    MEAL: { description: '助餐' },
    CHILD_CARE: { description: '托管 / 四点半课堂' },
    LEARNING: { description: '社区学校' },
    HEALTH: { description: '健康' },
    REPAIRS: { description: '维修' },
    HOUSEKEEPING: { description: '家政' },
    LEGAL_AID: { description: '法律援助' },
    CULTURE: { description: '文体' },
    MUTUAL_AID: { description: '邻里互助' },
    OTHER: { description: '其他' },
  },
});

registerEnumType(TargetGroup, {
  name: 'TargetGroup',
  description: 'Who a service is for; the “三孤” must not fall through',
  valuesConfig: {
    ELDERLY_ALONE: { description: '孤老: older residents living alone' },
    CHILDREN: { description: '孤童: children, especially those left alone after school' },
    FAMILIES_IN_NEED: { description: 'Families in difficulty, e.g. 孤妻 (wives whose husbands work far away)' },
    EVERYONE: { description: 'Every resident' },
  },
});

registerEnumType(OfferingStatus, {
  name: 'OfferingStatus',
  description: 'DRAFT → PUBLISHED ⇄ PAUSED → RETIRED',
});

registerEnumType(PayWith, {
  name: 'PayWith',
  valuesConfig: {
    FREE: { description: 'A free offering' },
    POINTS: { description: 'Public-welfare points (公益积分), debited by volunteering' },
    CASH: { description: 'Money in fen, paid outside the system and recorded by the provider' },
  },
});

registerEnumType(OrderStatus, {
  name: 'OrderStatus',
  description:
    'PENDING_PAYMENT (points being debited) → CONFIRMED → DELIVERED → COMPLETED; CANCELLED from any state before completion',
});

registerEnumType(OrderCancelReason, {
  name: 'OrderCancelReason',
  valuesConfig: {
    BUYER_CANCELLED: { description: 'The resident cancelled before delivery' },
    PROVIDER_DECLINED: { description: 'The provider declined, with a reason' },
    PAYMENT_TIMEOUT: { description: 'The points were not debited in time; a late debit is refunded' },
    INSUFFICIENT_POINTS: { description: 'The spendable balance did not cover the price' },
    LATE_DEBIT: { description: 'The debit arrived after the order was cancelled; it was refunded' },
  },
});

registerEnumType(NeedStatus, {
  name: 'NeedStatus',
  description: 'PENDING_ESCROW → OPEN ⇄ CLAIMED → FULFILLED; CANCELLED or EXPIRED (escrow refunded) before that',
});

export {
  NeedStatus,
  OfferingStatus,
  OrderCancelReason,
  OrderStatus,
  PayWith,
  ProviderKind,
  ProviderStatus,
  ServiceCategory,
  TargetGroup,
};
