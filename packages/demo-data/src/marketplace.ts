/**
 * The marketplace of 桃源居: one provider of each kind, their offerings, and orders and needs that tell one story —
 * residents spend the public-welfare points they earned. Ids are fixed so that tests and the README can name them.
 */
const id = (group: number, n: number) => `6f1c2d3e-0000-4000-80${String(60 + group)}-${String(n).padStart(12, '0')}`;

const LI_JIANGUO = '6f1c2d3e-0000-4000-8002-000000000001'; // committee member
const WANG_FANG = '6f1c2d3e-0000-4000-8002-000000000002'; // community worker
const CHEN_JING = '6f1c2d3e-0000-4000-8002-000000000013'; // leads 桃源居志愿者服务队
const YANG_XIUYING = '6f1c2d3e-0000-4000-8002-000000000014'; // retired teacher
const VOLUNTEER_TEAM = '6f1c2d3e-0000-4000-8003-000000000001';

export type DemoProviderKind = 'GOVERNMENT' | 'ENTERPRISE' | 'SOCIAL_ORGANIZATION' | 'RESIDENT';

export interface DemoProvider {
  id: string;
  kind: DemoProviderKind;
  name: string;
  description: string;
  contact: string;
  communityOwned: boolean;
  organizationId: string | null;
  /** Who registered it (and manages it). */
  ownerId: string;
  /** Staff who verified it: never the owner. */
  verifiedBy: string;
}

export const DEMO_PROVIDERS = {
  healthCentre: {
    id: id(0, 1),
    kind: 'GOVERNMENT',
    name: '桃源居社区健康服务中心',
    description: '家庭医生签约、长者体检、慢病随访，街道卫生服务的社区站点。',
    contact: '0755-27880001',
    communityOwned: false,
    organizationId: null,
    ownerId: WANG_FANG,
    verifiedBy: LI_JIANGUO,
  },
  propertyCompany: {
    id: id(0, 2),
    kind: 'ENTERPRISE',
    name: '桃源居物业',
    description: '小区物业服务：家电维修、水电维修、管道疏通。',
    contact: '0755-27880002',
    communityOwned: false,
    organizationId: null,
    ownerId: WANG_FANG,
    verifiedBy: LI_JIANGUO,
  },
  elderCanteen: {
    id: id(0, 3),
    kind: 'ENTERPRISE',
    name: '桃源居长者食堂',
    description: '社区兴办的长者食堂，少油少盐，收入用于社区公益。',
    contact: '0755-27880003',
    communityOwned: true,
    organizationId: null,
    ownerId: LI_JIANGUO,
    verifiedBy: WANG_FANG,
  },
  volunteerTeam: {
    id: id(0, 4),
    kind: 'SOCIAL_ORGANIZATION',
    name: '桃源居志愿者服务队',
    description: '志愿者服务队开设的四点半课堂：作业辅导、阅读陪伴。',
    contact: '13800000013',
    communityOwned: false,
    organizationId: VOLUNTEER_TEAM,
    ownerId: CHEN_JING,
    verifiedBy: WANG_FANG,
  },
  retiredTeacher: {
    id: id(0, 5),
    kind: 'RESIDENT',
    name: '杨老师书法课',
    description: '退休语文教师杨秀英，教毛笔字入门，一期四节。',
    contact: '13800000014',
    communityOwned: false,
    organizationId: null,
    ownerId: YANG_XIUYING,
    verifiedBy: WANG_FANG,
  },
} as const satisfies Record<string, DemoProvider>;

export interface DemoOffering {
  id: string;
  providerId: string;
  title: string;
  description: string;
  category: string;
  targetGroups: string[];
  free: boolean;
  pricePoints: number | null;
  priceFen: number | null;
  /** A recurring slot: days after the seed's first run, China Standard Time hour, places. */
  slot: { id: string; day: number; hour: number; hours: number; capacity: number } | null;
}

export const DEMO_OFFERINGS = {
  elderCheckUp: {
    id: id(1, 1),
    providerId: DEMO_PROVIDERS.healthCentre.id,
    title: '长者体检',
    description: '65岁以上长者免费体检：血压、血糖、心电图，家庭医生现场解读。',
    category: 'HEALTH',
    targetGroups: ['ELDERLY_ALONE', 'EVERYONE'],
    free: true,
    pricePoints: null,
    priceFen: null,
    slot: { id: id(2, 1), day: 3, hour: 9, hours: 3, capacity: 20 },
  },
  applianceRepair: {
    id: id(1, 2),
    providerId: DEMO_PROVIDERS.propertyCompany.id,
    title: '家电维修',
    description: '上门维修洗衣机、空调、热水器，含检测和人工，配件另计。',
    category: 'REPAIRS',
    targetGroups: ['EVERYONE'],
    free: false,
    pricePoints: 200,
    priceFen: 5000,
    slot: null,
  },
  elderMeals: {
    id: id(1, 3),
    providerId: DEMO_PROVIDERS.elderCanteen.id,
    title: '长者助餐',
    description: '两荤一素一汤，行动不便的独居老人可送餐上门。',
    category: 'MEAL',
    targetGroups: ['ELDERLY_ALONE'],
    free: false,
    pricePoints: 30,
    priceFen: 1200,
    slot: null,
  },
  afterSchoolClass: {
    id: id(1, 4),
    providerId: DEMO_PROVIDERS.volunteerTeam.id,
    title: '四点半课堂',
    description: '放学后到社区活动室写作业，志愿者辅导答疑，家长下班来接。',
    category: 'CHILD_CARE',
    targetGroups: ['CHILDREN', 'FAMILIES_IN_NEED'],
    free: true,
    pricePoints: 20,
    priceFen: null,
    slot: { id: id(2, 4), day: 1, hour: 16, hours: 2, capacity: 15 },
  },
  calligraphy: {
    id: id(1, 5),
    providerId: DEMO_PROVIDERS.retiredTeacher.id,
    title: '书法课',
    description: '毛笔字入门：握笔、基本笔画、临摹《九成宫》，笔墨纸砚自备。',
    category: 'LEARNING',
    targetGroups: ['EVERYONE'],
    free: false,
    pricePoints: 50,
    priceFen: null,
    slot: { id: id(2, 5), day: 5, hour: 19, hours: 2, capacity: 8 },
  },
} as const satisfies Record<string, DemoOffering>;

export const DEMO_MARKETPLACE_IDS = { order: (n: number) => id(3, n), need: (n: number) => id(4, n) };
