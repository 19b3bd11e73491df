import type { ApolloServerPlugin } from '@apollo/server';
import type { GraphQLFormattedError } from 'graphql';

/**
 * The languages of user-facing messages. Codes and reasons stay English identifiers: clients branch on those, and the
 * message is only what a person reads.
 */
export const LOCALES = ['zh-CN', 'en'] as const;
export type Locale = (typeof LOCALES)[number];

/** The best of our locales for an `Accept-Language` header (q-values honoured); the deployment's default otherwise. */
export function negotiateLocale(acceptLanguage: string | undefined, fallback: Locale): Locale {
  if (!acceptLanguage) return fallback;
  const ranked = acceptLanguage
    .split(',')
    .map((entry, index) => {
      const [tag = '', ...params] = entry.trim().split(';');
      const q = params.map((param) => /^\s*q=([\d.]+)\s*$/.exec(param)?.[1]).find(Boolean);
      return { tag: tag.trim().toLowerCase(), q: q === undefined ? 1 : Number(q), index };
    })
    .filter((entry) => entry.tag && entry.q > 0)
    .sort((a, b) => b.q - a.q || a.index - b.index);
  for (const { tag } of ranked) {
    if (tag === 'zh' || tag.startsWith('zh-')) return 'zh-CN';
    if (tag === 'en' || tag.startsWith('en-')) return 'en';
    if (tag === '*') return fallback;
  }
  return fallback;
}

/** Chinese texts by `extensions.reason`: FORBIDDEN and CONFLICT reasons of every service, and the query limits. */
const REASON_ZH: Record<string, string> = {
  ADMIN_ONLY: '只有管理员可以授予或撤销管理员角色',
  ALREADY_APPROVED: '您已批准过这笔支出，还需要另一位成员批准',
  ALREADY_AWARDED: '这些时长已经发放过积分',
  ALREADY_CONFIRMED: '这笔捐赠已经确认',
  ALREADY_DECIDED: '此申请已经处理过了',
  ALREADY_MEMBER: '您已是该组织成员或已提交申请',
  ALREADY_PAID: '已经标记为已付款',
  ALREADY_RECORDED: '该来源已有对应的账目记录',
  ALREADY_REGISTERED: '该组织已登记为服务提供方',
  ALREADY_REPLIED: '服务提供方只能回复一次',
  ALREADY_REVERSED: '该记录已被冲正',
  ALREADY_REVIEWED: '您已评价过此订单，请修改原评价',
  ALREADY_SIGNED_UP: '您已报名此班次',
  ALREADY_VERIFIED: '该出勤已核验',
  APPLICATION_PENDING: '您的入会申请正在等待组织者审核',
  BOOKING_DECIDED: '该预约已处理，不再待审核',
  BOOKING_NOT_ACTIVE: '该预约已不再有效',
  BOOKING_NOT_CONFIRMED: '只有已确认的预约才能付款',
  BOOKING_STARTED: '预约开始后，预约人不能再取消',
  CAMPAIGN_NOT_OPEN: '该募捐活动目前未开放',
  CHECK_IN_LOCKED: '签到码错误次数过多，请联系组织者重置签到',
  CHECK_IN_NOT_OPEN: '班次开始前 30 分钟才能签到',
  CHECK_IN_OVERRIDE_NOT_ALLOWED: '只有社工可以在未签到的情况下核验出勤',
  CLIENT_ORDER_ID_REUSED: '此 clientOrderId 已用于另一笔订单',
  COMMITTEE_ONLY: '只有本社区居委会成员可以处理此事项',
  COMMUNITY_WORKER_ONLY: '只有社工可以执行此操作',
  ENDPOINT_LIMIT: '该合作方的回调地址数量已达上限',
  EMPTY_REPLY: '回复内容不能为空',
  EXPENSE_DECIDED: '该支出已处理',
  FACILITY_UNAVAILABLE: '该设施目前不开放预约',
  FUND_RESTRICTED: '该基金的用途限制不允许此操作',
  GATEWAY_ONLY: '_entities 和 _service 只响应网关',
  HOUSEHOLD_NOT_CONFIRMED: '只有住户身份经网格员或居委会确认的居民才能投票',
  INSUFFICIENT_FUNDS: '基金余额不足',
  INVALID_STATE: '当前状态下不能执行此操作',
  LAST_LEADER: '不能移除组织的最后一位负责人',
  LEADER_LIMIT: '该组织的负责人人数已达社区上限',
  LEADER_ONLY: '只有该组织的负责人可以执行此操作',
  MEMBERSHIP_CHANGED: '发起晋升后成员身份已变化',
  NAME_TAKEN: '本社区已有同名组织',
  NEED_CLOSED: '该需求已关闭，不能取消',
  NEED_NOT_CLAIMED: '还没有人认领该需求',
  NEED_NOT_OPEN: '该需求未开放',
  NOTHING_TO_PAY: '该预约免费，无需付款',
  NOT_AUTHOR: '只有作者本人可以修改评价',
  NOT_AWAITING_APPROVAL: '该募捐活动不在等待居委会审批',
  NOT_BOOKABLE_BY_ORGANIZATIONS: '该设施不接受组织预约',
  NOT_BOOKABLE_BY_RESIDENTS: '居民不能自行预约该设施',
  NOT_BUYER: '只有下单的居民本人可以执行此操作',
  NOT_CAMPAIGN_PROPOSER: '只有社区工作人员或组织负责人可以发起募捐',
  NOT_CASH_ORDER: '只有现金支付的订单才能标记为已付款',
  NOT_CHECKED_IN: '志愿者未使用班次签到码签到；社工可填写原因后核验',
  NOT_CLAIMED_BY_YOU: '您没有认领该需求',
  NOT_GRID_WORKER: '只有负责该住户网格的社工或居委会成员可以处理',
  NOT_ORGANIZATION_BACKBONE: '只有组织的骨干或负责人可以执行此操作',
  NOT_ORGANIZATION_LEADER: '只有组织负责人可以登记该组织',
  NOT_ORGANIZER: '只有组织者可以执行此操作',
  NOT_POSTER: '只有发布需求的居民本人可以执行此操作',
  NOT_PROVIDER_MANAGER: '只有服务提供方的管理人员可以执行此操作',
  NOT_REVERSIBLE: '只有积分收入可以冲正',
  NOT_VOTING: '该募捐活动不在投票阶段',
  NOT_YOURS: '这不属于您，您无权查看或操作',
  NO_PENDING_CLAIM: '该居民没有待审核的住户申请',
  NO_UPCOMING_SHIFT: '请先添加至少一个即将开始的班次再发布，以便居民报名',
  OFFERING_RETIRED: '已下架的服务不能再添加时段',
  OFFERING_UNAVAILABLE: '该服务目前不接受下单',
  ON_WAITLIST: '您在此班次的候补名单中，尚未报名成功',
  ORDER_NOT_CANCELLABLE: '该订单当前不能取消或拒绝',
  ORDER_NOT_COMPLETED: '订单完成后才能评价',
  ORDER_NOT_CONFIRMED: '该订单尚未确认，不能交付',
  ORDER_NOT_DELIVERED: '该订单尚未交付，不能确认收货',
  ORGANIZATION_NOT_ACTIVE: '该组织目前不在活动状态',
  OTHER_COMMUNITY: '这属于其他社区',
  OVERLAPPING_SHIFT: '您已报名了时间重叠的其他班次',
  OWN_CAMPAIGN: '发起人不能审批自己发起的募捐',
  OWN_EXPENSE: '发起人不能审批自己提出的支出',
  OWN_NEED: '不能认领自己发布的需求',
  OWN_PROVIDER: '不能审核自己登记的服务提供方',
  PARTNER_CLIENT_REVOKED: '该合作方客户端已被吊销',
  PROVIDER_NOT_VERIFIED: '服务提供方尚未通过审核',
  RESIDENCE_ALREADY_CONFIRMED: '您的住址已确认；如需登记其他住址，请先请网格员撤销',
  RESIDENCE_DECISION_NOT_ALLOWED: '只有网格员或居委会成员可以审核住址',
  RESIDENCE_NOT_CONFIRMED: '该居民的住址尚未确认',
  REVIEW_EDIT_CLOSED: '评价已超过可修改期限',
  ROLE_CHANGE_NOT_ALLOWED: '只有居委会成员或管理员可以变更角色',
  ROLE_REQUIRED: '您没有执行此操作所需的角色',
  SAME_HOUSEHOLD: '需求是给邻居的：这是您家发布的需求',
  SCOPE_NOT_APPROVED: '该合作方未获批准使用此授权范围',
  SCOPE_REQUIRED: '缺少执行此操作所需的授权范围',
  SELF_APPROVAL: '需要由登记人以外的人审批',
  SELF_CHECK_IN_RESET: '需要由其他组织者重置您自己的签到次数',
  SELF_PROMOTION: '任何人都不能决定自己的晋升',
  SELF_RESIDENCE_DECISION: '任何人都不能审核自己的住址，请联系同事',
  SELF_ROLE_CHANGE: '任何人都不能给自己授予或撤销角色，请联系其他居委会成员',
  SELF_VERIFICATION: '任何人都不能核验自己的出勤，需由其他组织者确认',
  SHIFTS_NOT_ENDED: '最后一个班次结束后才能结束活动',
  SHIFT_ENDED: '该班次已结束',
  SHIFT_NOT_STARTED: '班次开始后才能执行此操作',
  SHIFT_STARTED: '该班次已经开始',
  SIGN_UPS_CLOSED: '报名已截止',
  SLOT_FULL: '该时段名额不足',
  SLOT_STARTED: '该时段已经开始',
  SLOT_TAKEN: '该时间段已被部分预约',
  STAFF_ONLY: '只有社区工作人员（社工、居委会）可以执行此操作',
  STAFF_OR_LEADER_ONLY: '只有社区工作人员和组织负责人可以查看',
  VOTE_CLOSED: '该募捐活动未开放投票',
  VOTE_STILL_OPEN: '住户投票尚未结束',
  // The query limits (GRAPHQL_VALIDATION_FAILED), with the limit and the measured value in extensions.
  QUERY_TOO_DEEP: '查询嵌套过深（上限 {limit}，实际 {actual}）',
  TOO_MANY_ALIASES: '查询别名过多（上限 {limit}，实际 {actual}）',
  TOO_MANY_DIRECTIVES: '查询指令过多（上限 {limit}，实际 {actual}）',
  QUERY_TOO_COSTLY: '查询开销过大（上限 {limit}，实际 {actual}）',
  QUERY_TOO_LONG: '查询过长（上限 {limit} 个记号）',
  // Trusted documents (the gateway).
  OPERATION_NOT_TRUSTED: '此操作不在受信任的文档清单中',
};

/** Chinese names of the input fields BAD_USER_INPUT names in `extensions.field`. */
const FIELD_ZH: Record<string, string> = {
  after: '分页游标',
  attendees: '人数',
  backbone: '骨干门槛',
  bookableBy: '可预约对象',
  capacity: '名额',
  category: '类别',
  categoryMultipliers: '类别倍数',
  closesAt: '截止时间',
  code: '验证码',
  communityId: '社区',
  communityIds: '社区',
  dailyCap: '每日上限',
  endsAt: '结束时间',
  first: '数量',
  hours: '时长',
  kind: '类型',
  maxLeadersPerOrganization: '组织负责人上限',
  membershipId: '成员身份',
  neededBy: '需要时间',
  occurredAt: '发生时间',
  openingHours: '开放时间',
  opensAt: '开始时间',
  organizationId: '组织',
  password: '密码',
  payWith: '支付方式',
  pointsPerHour: '每小时积分',
  pricePoints: '价格',
  reason: '原因',
  reply: '回复',
  role: '角色',
  scopes: '授权范围',
  slotId: '时段',
  startsAt: '开始时间',
  targetGroups: '服务对象',
  to: '结束日期',
  from: '开始日期',
  phone: '手机号',
  address: '地址',
  householdId: '住户',
  displayName: '姓名',
  title: '标题',
  description: '描述',
  name: '名称',
  amountFen: '金额',
  quantity: '数量',
};

/** Whole sentences where a field's one rule makes a better message than the generic one. */
const FIELD_SENTENCE_ZH: Record<string, string> = {
  phone: '手机号须为 11 位中国大陆手机号码（以 13–19 开头）',
  password: '密码长度不符合要求',
  after: '分页游标无效',
  code: '验证码错误或已过期',
};

/** Chinese texts by `extensions.code`, for errors without a reason or field of their own. */
const CODE_ZH: Record<string, string> = {
  UNAUTHENTICATED: '请先登录',
  FORBIDDEN: '您无权执行此操作',
  BAD_USER_INPUT: '输入有误',
  NOT_FOUND: '未找到所请求的内容',
  CONFLICT: '操作与当前状态冲突',
  TOO_MANY_REQUESTS: '请求过于频繁，请 {retryAfterSeconds} 秒后再试',
  INSUFFICIENT_POINTS: '积分不足',
  PAYLOAD_TOO_LARGE: '请求内容过大',
  BAD_REQUEST: '请求格式有误',
  SERVICE_UNAVAILABLE: '服务暂时不可用，请稍后再试',
  INTERNAL_SERVER_ERROR: '服务器内部错误',
  GRAPHQL_PARSE_FAILED: '查询语法有误',
  GRAPHQL_VALIDATION_FAILED: '查询不符合接口定义',
  PERSISTED_QUERY_NOT_FOUND: '未找到该持久化查询，请发送完整查询',
  PERSISTED_QUERY_NOT_SUPPORTED: '不支持持久化查询',
  OPERATION_RESOLUTION_FAILURE: '无法确定要执行的操作',
};

/** Every reason with a Chinese text: tests check that each reason a service raises is covered. */
export const TRANSLATED_REASONS: ReadonlySet<string> = new Set(Object.keys(REASON_ZH));

function fill(template: string, extensions: Record<string, unknown>): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => {
    const value = extensions[name];
    return typeof value === 'string' || typeof value === 'number' ? String(value) : whole;
  });
}

/** Codes whose English text names what exactly is wrong (a field, a token): the Chinese text carries it on. */
const DETAILED_CODES = new Set(['BAD_USER_INPUT', 'BAD_REQUEST', 'GRAPHQL_PARSE_FAILED', 'GRAPHQL_VALIDATION_FAILED']);

/** The Chinese text of an error from its code, reason and field; undefined when nothing is known about it. */
export function chineseMessage(extensions: Record<string, unknown>, english?: string): string | undefined {
  const { code, reason, field } = extensions;
  if (typeof reason === 'string' && REASON_ZH[reason]) return fill(REASON_ZH[reason], extensions);
  if (code === 'BAD_USER_INPUT' && typeof field === 'string') {
    const leaf = field.split('.').pop() ?? field;
    if (FIELD_SENTENCE_ZH[leaf]) return FIELD_SENTENCE_ZH[leaf];
    return `「${FIELD_ZH[leaf] ?? leaf}」填写有误`;
  }
  if (typeof code !== 'string' || !CODE_ZH[code]) return undefined;
  const text = fill(CODE_ZH[code], extensions);
  return english && DETAILED_CODES.has(code) ? `${text}：${english}` : text;
}

/**
 * One error in the chosen language. A Chinese text keeps the English one the code raised beside it in
 * `extensions.messageEn`, so a client (or the gateway, localizing what a subgraph answered) always has both; an English
 * answer is the error as raised. Idempotent.
 */
export function localizeError(error: GraphQLFormattedError, locale: Locale): GraphQLFormattedError {
  const { messageEn, ...extensions } = error.extensions ?? {};
  const english = typeof messageEn === 'string' ? messageEn : error.message;
  const chinese = locale === 'zh-CN' ? chineseMessage(extensions, english) : undefined;
  const hasExtensions = error.extensions !== undefined;
  if (!chinese) return { ...error, message: english, ...(hasExtensions ? { extensions } : {}) };
  return { ...error, message: chinese, extensions: { ...extensions, messageEn: english } };
}

/** Errors of every response in the language of the request's `Accept-Language`, else the deployment's default. */
export function localizedErrorsPlugin<Context extends object>(defaultLocale: Locale): ApolloServerPlugin<Context> {
  return {
    async requestDidStart({ request }) {
      const locale = negotiateLocale(request.http?.headers.get('accept-language') ?? undefined, defaultLocale);
      return {
        async willSendResponse({ response }) {
          if (response.body.kind !== 'single' || !response.body.singleResult.errors) return;
          response.body.singleResult.errors = response.body.singleResult.errors.map((error) =>
            localizeError(error, locale),
          );
        },
      };
    },
  };
}
