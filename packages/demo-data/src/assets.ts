/**
 * 桃源居's public-welfare assets, funds and the demo campaign (assets seeds them; tests and the README refer to them).
 * Fees are in fen (1 元 = 100 fen).
 */
export const DEMO_FACILITIES = [
  { id: '6f1c2d3e-0000-4000-8005-000000000001', name: '会所多功能厅', capacity: 80, feePerHourFen: 5000 },
  { id: '6f1c2d3e-0000-4000-8005-000000000002', name: '图书馆阅览室', capacity: 40, feePerHourFen: 0 },
  { id: '6f1c2d3e-0000-4000-8005-000000000003', name: '长者食堂', capacity: 60, feePerHourFen: 0 },
  { id: '6f1c2d3e-0000-4000-8005-000000000004', name: '篮球场', capacity: 20, feePerHourFen: 1000 },
  { id: '6f1c2d3e-0000-4000-8005-000000000005', name: '市民广场', capacity: 500, feePerHourFen: 0 },
] as const;

export const DEMO_FUNDS = {
  publicWelfare: '6f1c2d3e-0000-4000-8006-000000000001',
  unrestricted: '6f1c2d3e-0000-4000-8006-000000000002',
  alarmCampaign: '6f1c2d3e-0000-4000-8006-000000000003',
} as const;

/** Passed by household vote; donations are coming in, the first alarms are bought. */
export const DEMO_CAMPAIGN = {
  id: '6f1c2d3e-0000-4000-8007-000000000001',
  title: '为独居老人安装紧急呼叫器',
  goalFen: 3_000_000,
} as const;
