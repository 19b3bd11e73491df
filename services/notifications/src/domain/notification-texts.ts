import type { Locale } from '@taoyuan/service-kit';
import { NotificationKind, type NotificationParameters } from './vocabulary';

export interface NotificationText {
  title: string;
  body: string;
}

type Render = (p: NotificationParameters) => NotificationText;

const ROLE: Record<Locale, Record<string, string>> = {
  'zh-CN': { MEMBER: '成员', ACTIVIST: '积极分子', BACKBONE: '骨干', LEADER: '负责人' },
  en: { MEMBER: 'member', ACTIVIST: 'activist', BACKBONE: 'backbone', LEADER: 'leader' },
};

const TIER: Record<Locale, Record<string, string>> = {
  'zh-CN': { VOLUNTEER: '志愿者', ACTIVIST: '积极分子', BACKBONE: '骨干', LEADER: '带头人' },
  en: { VOLUNTEER: 'volunteer', ACTIVIST: 'activist', BACKBONE: 'backbone', LEADER: 'leader' },
};

const POINTS_REASON: Record<Locale, Record<string, string>> = {
  'zh-CN': { EARNED_VOLUNTEERING: '志愿服务时长已确认', EARNED_SERVICE: '邻里互助已完成', BONUS: '社区奖励' },
  en: {
    EARNED_VOLUNTEERING: 'Your volunteering hours were verified',
    EARNED_SERVICE: 'Your help to a neighbour was confirmed',
    BONUS: 'A community bonus',
  },
};

const CANCEL_REASON: Record<Locale, Record<string, string>> = {
  'zh-CN': {
    BUYER_CANCELLED: '您已取消订单',
    PROVIDER_DECLINED: '服务方未能接单',
    PAYMENT_TIMEOUT: '订单超时未支付',
    INSUFFICIENT_POINTS: '公益积分余额不足',
    LATE_DEBIT: '积分扣除超时',
  },
  en: {
    BUYER_CANCELLED: 'you cancelled it',
    PROVIDER_DECLINED: 'the provider declined it',
    PAYMENT_TIMEOUT: 'it was not paid in time',
    INSUFFICIENT_POINTS: 'your points balance was not enough',
    LATE_DEBIT: 'the points payment came too late',
  },
};

const word = (table: Record<string, string>, key: string | undefined) => (key ? (table[key] ?? key) : '');

/** When a booking starts, as a resident of the community reads it: Beijing time, to the minute. */
function bookingTime(iso: string | undefined, locale: Locale): string {
  if (!iso) return '';
  return new Intl.DateTimeFormat(locale === 'zh-CN' ? 'zh-CN' : 'en-GB', {
    timeZone: 'Asia/Shanghai',
    month: 'short',
    day: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    hour12: false,
  }).format(new Date(iso));
}

/**
 * The texts of every kind in every locale, chosen at read time like error messages (service-kit `messages.ts`):
 * the row keeps the facts, so a resident who switches language reads their whole history in it.
 */
const TEXTS: Record<Locale, Record<NotificationKind, Render>> = {
  'zh-CN': {
    [NotificationKind.SIGN_UP_CONFIRMED]: () => ({
      title: '报名成功',
      body: '您已报名成功，请按时到场参加志愿服务。',
    }),
    [NotificationKind.SIGN_UP_MOVED_FROM_WAITLIST]: () => ({
      title: '候补转为正式报名',
      body: '有人取消了报名，您已从候补名单转为正式报名，请按时到场。',
    }),
    [NotificationKind.POINTS_AWARDED]: (p) => ({
      title: `获得 ${p.points ?? 0} 公益积分`,
      body: `${word(POINTS_REASON['zh-CN'], p.pointsKind)}，获得 ${p.points ?? 0} 公益积分，累计 ${p.lifetimeEarned ?? 0} 分。`,
    }),
    [NotificationKind.TIER_REACHED]: (p) => ({
      title: `成为${word(TIER['zh-CN'], p.tier)}`,
      body: `累计公益积分达到 ${p.lifetimeEarned ?? 0} 分，您已成为${word(TIER['zh-CN'], p.tier)}。`,
    }),
    [NotificationKind.PROMOTION_CANDIDATE]: (p) => ({
      title: '获得晋升资格',
      body: `您在组织中获得晋升为${word(ROLE['zh-CN'], p.toRole)}的资格，等待审批。`,
    }),
    [NotificationKind.PROMOTION_APPROVED]: (p) => ({
      title: '晋升已批准',
      body: `恭喜！您已晋升为组织的${word(ROLE['zh-CN'], p.toRole)}。`,
    }),
    [NotificationKind.PROMOTION_DECLINED]: (p) => ({
      title: '晋升未获批准',
      body: `您晋升为${word(ROLE['zh-CN'], p.toRole)}的申请未获批准，可联系组织负责人了解原因。`,
    }),
    [NotificationKind.ORDER_CONFIRMED]: () => ({
      title: '订单已确认',
      body: '您的服务订单已确认，服务方会尽快与您联系。',
    }),
    [NotificationKind.ORDER_CANCELLED]: (p) => ({
      title: '订单已取消',
      body: `您的服务订单已取消：${word(CANCEL_REASON['zh-CN'], p.cancelReason)}。已扣除的积分会退回。`,
    }),
    [NotificationKind.ORDER_COMPLETED]: () => ({ title: '服务已完成', body: '您的服务订单已完成，欢迎评价。' }),
    [NotificationKind.BOOKING_CONFIRMED]: (p) => ({
      title: '场地预约成功',
      body: `您的场地预约已确认，开始时间：${bookingTime(p.startsAt, 'zh-CN')}。`,
    }),
  },
  en: {
    [NotificationKind.SIGN_UP_CONFIRMED]: () => ({
      title: 'You are signed up',
      body: 'Your place on the shift is confirmed. Please arrive on time.',
    }),
    [NotificationKind.SIGN_UP_MOVED_FROM_WAITLIST]: () => ({
      title: 'Off the waitlist',
      body: 'A place freed up: you moved from the waitlist to a confirmed place. Please arrive on time.',
    }),
    [NotificationKind.POINTS_AWARDED]: (p) => ({
      title: `${p.points ?? 0} public-welfare points`,
      body: `${word(POINTS_REASON.en, p.pointsKind)}: ${p.points ?? 0} points, ${p.lifetimeEarned ?? 0} earned in all.`,
    }),
    [NotificationKind.TIER_REACHED]: (p) => ({
      title: `You are now ${word(TIER.en, p.tier)}`,
      body: `Your lifetime points reached ${p.lifetimeEarned ?? 0}: you are now ${word(TIER.en, p.tier)}.`,
    }),
    [NotificationKind.PROMOTION_CANDIDATE]: (p) => ({
      title: 'Eligible for promotion',
      body: `You are eligible to become ${word(ROLE.en, p.toRole)} in your organization; the decision is pending.`,
    }),
    [NotificationKind.PROMOTION_APPROVED]: (p) => ({
      title: 'Promotion approved',
      body: `Congratulations! You are now ${word(ROLE.en, p.toRole)} of your organization.`,
    }),
    [NotificationKind.PROMOTION_DECLINED]: (p) => ({
      title: 'Promotion declined',
      body: `Your promotion to ${word(ROLE.en, p.toRole)} was declined; ask the organization's leader why.`,
    }),
    [NotificationKind.ORDER_CONFIRMED]: () => ({
      title: 'Order confirmed',
      body: 'Your order is confirmed; the provider will contact you soon.',
    }),
    [NotificationKind.ORDER_CANCELLED]: (p) => ({
      title: 'Order cancelled',
      body: `Your order was cancelled: ${word(CANCEL_REASON.en, p.cancelReason)}. Any points taken are refunded.`,
    }),
    [NotificationKind.ORDER_COMPLETED]: () => ({
      title: 'Service completed',
      body: 'Your order is complete. You are welcome to review it.',
    }),
    [NotificationKind.BOOKING_CONFIRMED]: (p) => ({
      title: 'Booking confirmed',
      body: `Your facility booking is confirmed, starting ${bookingTime(p.startsAt, 'en')}.`,
    }),
  },
};

export function renderNotification(
  kind: NotificationKind,
  parameters: NotificationParameters,
  locale: Locale,
): NotificationText {
  return TEXTS[locale][kind](parameters);
}
