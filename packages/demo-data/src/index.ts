/**
 * The demo community, as every service's seed sees it. Ids are fixed so that identity's users, volunteering's
 * accounts and organizations' memberships line up without any service reading another's database.
 */
export const DEMO_PASSWORD = 'taoyuan-demo';

export const DEMO_COMMUNITIES = [
  { id: '6f1c2d3e-0000-4000-8000-000000000001', name: '桃源居社区', city: '深圳市', district: '宝安区' },
  { id: '6f1c2d3e-0000-4000-8000-000000000002', name: '重庆桃源居社区', city: '重庆市', district: '渝北区' },
] as const;

export const TAOYUANJU = DEMO_COMMUNITIES[0];

export const DEMO_GRIDS = [
  { id: '6f1c2d3e-0000-4000-8001-000000000001', communityId: TAOYUANJU.id, name: '第一网格（1–6栋）' },
  { id: '6f1c2d3e-0000-4000-8001-000000000002', communityId: TAOYUANJU.id, name: '第二网格（7–12栋）' },
] as const;

export type DemoRole = 'RESIDENT' | 'COMMUNITY_WORKER' | 'COMMITTEE' | 'ADMIN';

export interface DemoUser {
  id: string;
  phone: string;
  displayName: string;
  roles: DemoRole[];
  /** Household address inside the demo community: building, unit, room. */
  home: { gridIndex: 0 | 1; building: string; unit: string; room: string };
}

export const DEMO_USERS: readonly DemoUser[] = [
  {
    id: '6f1c2d3e-0000-4000-8002-000000000001',
    phone: '13800000001',
    displayName: '李建国',
    roles: ['RESIDENT', 'COMMITTEE'],
    home: { gridIndex: 0, building: '3栋', unit: '1单元', room: '502' },
  },
  {
    id: '6f1c2d3e-0000-4000-8002-000000000002',
    phone: '13800000002',
    displayName: '王芳',
    roles: ['RESIDENT', 'COMMUNITY_WORKER'],
    home: { gridIndex: 1, building: '8栋', unit: '2单元', room: '1103' },
  },
  {
    id: '6f1c2d3e-0000-4000-8002-000000000011',
    phone: '13800000011',
    displayName: '张伟',
    roles: ['RESIDENT'],
    home: { gridIndex: 0, building: '1栋', unit: '1单元', room: '201' },
  },
  {
    id: '6f1c2d3e-0000-4000-8002-000000000012',
    phone: '13800000012',
    displayName: '刘洋',
    roles: ['RESIDENT'],
    home: { gridIndex: 0, building: '2栋', unit: '3单元', room: '1502' },
  },
  {
    id: '6f1c2d3e-0000-4000-8002-000000000013',
    phone: '13800000013',
    displayName: '陈静',
    roles: ['RESIDENT'],
    home: { gridIndex: 0, building: '5栋', unit: '2单元', room: '803' },
  },
  {
    id: '6f1c2d3e-0000-4000-8002-000000000014',
    phone: '13800000014',
    displayName: '杨秀英',
    roles: ['RESIDENT'],
    home: { gridIndex: 1, building: '9栋', unit: '1单元', room: '101' },
  },
  {
    id: '6f1c2d3e-0000-4000-8002-000000000015',
    phone: '13800000015',
    displayName: '赵磊',
    roles: ['RESIDENT'],
    home: { gridIndex: 1, building: '11栋', unit: '2单元', room: '1204' },
  },
];

/** The committee member leads grid one, the community worker grid two. */
export const DEMO_GRID_LEADERS: Record<string, string> = {
  [DEMO_GRIDS[0].id]: '6f1c2d3e-0000-4000-8002-000000000001',
  [DEMO_GRIDS[1].id]: '6f1c2d3e-0000-4000-8002-000000000002',
};

/** Community social organizations of 桃源居 and who leads them (organizations seeds them; volunteering hosts shifts for them). */
export const DEMO_ORGANIZATIONS = [
  {
    id: '6f1c2d3e-0000-4000-8003-000000000001',
    name: '桃源居志愿者服务队',
    kind: 'VOLUNTEER_TEAM',
    description: '社区志愿服务的骨干力量：环境整治、治安巡逻、便民服务。',
    leaderUserId: '6f1c2d3e-0000-4000-8002-000000000013',
  },
  {
    id: '6f1c2d3e-0000-4000-8003-000000000002',
    name: '长者关爱协会',
    kind: 'ELDERLY_ASSOCIATION',
    description: '探访独居长者、陪诊、助餐，让老人安享晚年。',
    leaderUserId: '6f1c2d3e-0000-4000-8002-000000000014',
  },
  {
    id: '6f1c2d3e-0000-4000-8003-000000000003',
    name: '青少年成长营',
    kind: 'YOUTH_GROUP',
    description: '四点半课堂、周末读书会与暑期夏令营。',
    leaderUserId: '6f1c2d3e-0000-4000-8002-000000000012',
  },
] as const;

export type DemoMembershipRole = 'MEMBER' | 'ACTIVIST' | 'BACKBONE' | 'LEADER';

/**
 * Members of the demo organizations below their leaders, and where they stand on the ladder (organizations seeds
 * them and announces each through organizations.member.joined / .promoted; a BACKBONE may organize the
 * organization's opportunities in volunteering).
 */
export const DEMO_ORGANIZATION_MEMBERS: readonly {
  organizationId: string;
  userId: string;
  role: Exclude<DemoMembershipRole, 'LEADER'>;
}[] = [
  // 桃源居志愿者服务队: 张伟 a member (90 points, close to ACTIVIST), 赵磊 an activist, 刘洋 a member
  { organizationId: DEMO_ORGANIZATIONS[0].id, userId: '6f1c2d3e-0000-4000-8002-000000000011', role: 'MEMBER' },
  { organizationId: DEMO_ORGANIZATIONS[0].id, userId: '6f1c2d3e-0000-4000-8002-000000000015', role: 'ACTIVIST' },
  { organizationId: DEMO_ORGANIZATIONS[0].id, userId: '6f1c2d3e-0000-4000-8002-000000000012', role: 'MEMBER' },
  // 长者关爱协会: 张伟 a member, 陈静 an activist
  { organizationId: DEMO_ORGANIZATIONS[1].id, userId: '6f1c2d3e-0000-4000-8002-000000000011', role: 'MEMBER' },
  { organizationId: DEMO_ORGANIZATIONS[1].id, userId: '6f1c2d3e-0000-4000-8002-000000000013', role: 'ACTIVIST' },
  // 青少年成长营: 陈静 a backbone
  { organizationId: DEMO_ORGANIZATIONS[2].id, userId: '6f1c2d3e-0000-4000-8002-000000000013', role: 'BACKBONE' },
];

/**
 * Tiers the demo residents have reached and their lifetime points. volunteering's seed credits exactly these totals
 * (their tier events follow from the ledger); organizations' projection starts from them. 赵磊 (an ACTIVIST of the
 * volunteer team) reached BACKBONE, so a promotion to BACKBONE waits for the team's leader 陈静; 陈静 is a BACKBONE
 * of 青少年成长营 and an ACTIVIST of 长者关爱协会, where her BACKBONE tier makes her eligible too.
 */
export const DEMO_RESIDENT_TIERS: readonly {
  userId: string;
  tier: 'ACTIVIST' | 'BACKBONE' | 'LEADER';
  lifetimeEarned: number;
}[] = [
  { userId: '6f1c2d3e-0000-4000-8002-000000000015', tier: 'BACKBONE', lifetimeEarned: 560 },
  { userId: '6f1c2d3e-0000-4000-8002-000000000013', tier: 'BACKBONE', lifetimeEarned: 620 },
];
export * from './marketplace';
export * from './assets';
