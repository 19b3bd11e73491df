import { randomUUID } from 'node:crypto';
import { TAOYUANJU } from '@taoyuan/demo-data';
import { createTestDatabase, graphqlData, startTestTokenIssuer, TEST_GATEWAY_SECRET } from '@taoyuan/testing';
import { startMarketplace } from '../src/app';
import { loadMarketplaceConfig } from '../src/config';

/**
 * `pnpm --filter @taoyuan/marketplace bench:search` (needs DATABASE_URL of a PostgreSQL where it may create a scratch
 * database): 100,000 published offerings with Chinese titles, then `serviceOfferings(filter: { text })` timed through
 * the subgraph over HTTP for a two-character term (bigram GIN index) and a three-character one (pg_trgm GIN index),
 * p50 / p95 printed with each query plan.
 */
const OFFERINGS = Number(process.env.BENCH_OFFERINGS ?? 100_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 200);

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
}

const QUERY = `query($text: String!) { serviceOfferings(filter: { text: $text }, first: 20) { edges { node { id title } } } }`;

async function main() {
  const database = await createTestDatabase('marketplace_bench');
  const tokens = await startTestTokenIssuer();
  const server = await startMarketplace(
    loadMarketplaceConfig({
      NODE_ENV: 'test',
      LOG_LEVEL: 'silent',
      PORT: '0',
      DATABASE_URL: database.url,
      JWKS_URL: tokens.jwksUrl,
      MIGRATIONS_RUN: 'true',
      GATEWAY_SHARED_SECRET: TEST_GATEWAY_SECRET,
    }),
  );
  const db = server.deps.dataSource;
  try {
    const providerId = randomUUID();
    await db.query(
      `INSERT INTO providers (id, community_id, kind, name, description, contact, owner_id, status)
       VALUES ($1, $2, 'ENTERPRISE', '基准测试服务商', '', '0755-0', $3, 'VERIFIED')`,
      [providerId, TAOYUANJU.id, randomUUID()],
    );
    const started = process.hrtime.bigint();
    // Titles from everyday services; 陪诊 (hospital escort) is in one offering of a hundred, 四点半课堂 in one of fifty.
    await db.query(
      `INSERT INTO offerings (id, provider_id, community_id, title, description, category, target_groups, free, status,
                              created_by, created_at, published_at)
       SELECT gen_random_uuid(), $1, $2,
              (ARRAY['家电维修','长者助餐','上门理发','家庭保洁','法律咨询','书法入门','康复理疗','心理疏导','管道疏通',
                     '社区合唱团','手机使用教学','老人陪诊服务','四点半课堂','营养配餐','助浴服务'])[
                CASE WHEN i % 100 = 0 THEN 12 WHEN i % 50 = 1 THEN 13 ELSE 1 + (i * 7919) % 11 END]
                || ' 第' || i || '期',
              (ARRAY['上门服务，预约后两天内到达','社区活动室进行，名额有限','行动不便的长者优先',
                     '费用可用公益积分抵扣','由持证专业人员提供'])[1 + i % 5],
              'OTHER', ARRAY['EVERYONE'], true, 'PUBLISHED', $3,
              now() - make_interval(secs => i), now()
         FROM generate_series(1, $4) AS i`,
      [providerId, TAOYUANJU.id, randomUUID(), OFFERINGS],
    );
    await db.query(`ANALYZE offerings`);
    console.log(
      `inserted ${OFFERINGS} offerings in ${(Number(process.hrtime.bigint() - started) / 1e6).toFixed(0)} ms`,
    );
    const token = await tokens.sign({ userId: randomUUID(), communityId: TAOYUANJU.id });
    for (const text of ['陪诊', '点半课', '服务']) {
      for (let i = 0; i < 10; i += 1) await graphqlData(server.url, QUERY, { text }, { token });
      const times: number[] = [];
      for (let i = 0; i < RUNS; i += 1) {
        const start = process.hrtime.bigint();
        await graphqlData(server.url, QUERY, { text }, { token });
        times.push(Number(process.hrtime.bigint() - start) / 1e6);
      }
      times.sort((a, b) => a - b);
      const condition =
        [...text].length === 2 ? `o.search_bigrams @> ARRAY['${text}']` : `o.search_text LIKE '%${text}%'`;
      const sql = `SELECT o.id FROM offerings o JOIN providers p ON p.id = o.provider_id
          WHERE o.community_id = $1 AND o.status = 'PUBLISHED' AND p.status = 'VERIFIED' AND ${condition}
          ORDER BY o.created_at DESC, o.id DESC LIMIT 21`;
      const sqlTimes: number[] = [];
      for (let i = 0; i < RUNS; i += 1) {
        const start = process.hrtime.bigint();
        await db.query(sql, [TAOYUANJU.id]);
        sqlTimes.push(Number(process.hrtime.bigint() - start) / 1e6);
      }
      sqlTimes.sort((a, b) => a - b);
      const plan: { 'QUERY PLAN': string }[] = await db.query(`EXPLAIN (ANALYZE, COSTS OFF) ${sql}`, [TAOYUANJU.id]);
      console.log(
        `text "${text}": through the subgraph p50 ${percentile(times, 50).toFixed(2)} ms  p95 ${percentile(times, 95).toFixed(2)} ms; ` +
          `its SQL alone p50 ${percentile(sqlTimes, 50).toFixed(2)} ms  p95 ${percentile(sqlTimes, 95).toFixed(2)} ms  (${RUNS} runs each)`,
      );
      console.log(plan.map((row) => `    ${row['QUERY PLAN']}`).join('\n'));
    }
  } finally {
    await server.stop();
    await tokens.stop();
    await database.drop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
