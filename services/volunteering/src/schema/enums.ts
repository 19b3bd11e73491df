import { registerEnumType } from 'type-graphql';
import {
  LeaderboardPeriod,
  OpportunityCategory,
  OpportunityStatus,
  PointsEntryKind,
  SignUpStatus,
  Tier,
} from '../domain/vocabulary';

registerEnumType(OpportunityCategory, {
  name: 'OpportunityCategory',
  description: 'What kind of public-welfare work an opportunity is',
  valuesConfig: {
    ELDERLY_CARE: { description: '敬老助老: visiting, accompanying and helping older residents' },
    CHILD_CARE: { description: '儿童关爱' },
    EDUCATION: { description: '教育辅导, e.g. 四点半课堂' },
    ENVIRONMENT: { description: '环境整治' },
    SAFETY_PATROL: { description: '治安巡逻' },
    CULTURE: { description: '文体活动' },
    HEALTH: { description: '健康义诊' },
    MUTUAL_AID: { description: '邻里互助' },
    OTHER: { description: '其他' },
  },
});

registerEnumType(OpportunityStatus, {
  name: 'OpportunityStatus',
  description: 'DRAFT → PUBLISHED → COMPLETED, or CANCELLED from DRAFT or PUBLISHED',
  valuesConfig: {
    DRAFT: { description: 'Being prepared; only its organizers see it' },
    PUBLISHED: { description: 'Open: residents of the community may sign up for its upcoming shifts' },
    COMPLETED: { description: 'All shifts are over' },
    CANCELLED: { description: 'Called off; every waiting sign-up was cancelled and its volunteer notified' },
  },
});

registerEnumType(SignUpStatus, {
  name: 'SignUpStatus',
  valuesConfig: {
    SIGNED_UP: { description: 'Holds a place on the shift' },
    WAITLISTED: { description: 'The shift was full; promoted in order when a place frees up' },
    CANCELLED: { description: 'Cancelled by the volunteer, or because the opportunity was cancelled' },
    CHECKED_IN: { description: 'Checked in on site with the shift’s code' },
    CHECKED_OUT: { description: 'Checked out; waiting for the organizer to verify the hours' },
    VERIFIED: { description: 'Hours confirmed by an organizer and points awarded' },
    NO_SHOW: { description: 'Did not come' },
  },
});

registerEnumType(Tier, {
  name: 'PointsTier',
  description: 'Standing earned by lifetime points (thresholds set per community by its TierPolicy)',
  valuesConfig: {
    VOLUNTEER: { description: '志愿者: everyone starts here' },
    ACTIVIST: { description: '积极分子 (default: 100 lifetime points)' },
    BACKBONE: { description: '骨干 (default: 500 lifetime points)' },
    LEADER: { description: '领袖 (default: 1500 lifetime points)' },
  },
});

registerEnumType(PointsEntryKind, {
  name: 'PointsEntryKind',
  valuesConfig: {
    EARNED_VOLUNTEERING: { description: 'Verified volunteer hours' },
    EARNED_SERVICE: { description: 'Helping a neighbour (mutual aid)' },
    BONUS: { description: 'Granted by the community' },
    REDEEMED: { description: 'Spent, e.g. on a service paid in points' },
    REFUNDED: { description: 'Spent points given back, e.g. for a cancelled order' },
    REVERSAL: { description: 'Correction of a wrong earning' },
  },
});

registerEnumType(LeaderboardPeriod, {
  name: 'LeaderboardPeriod',
  description: 'Calendar periods in China Standard Time (weeks start on Monday)',
  valuesConfig: {
    WEEK: { description: 'This calendar week' },
    MONTH: { description: 'This calendar month' },
    YEAR: { description: 'This calendar year' },
    ALL: { description: 'Lifetime earned points' },
  },
});

export { LeaderboardPeriod, OpportunityCategory, OpportunityStatus, PointsEntryKind, SignUpStatus, Tier };
