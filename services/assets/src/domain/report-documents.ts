import type { TransparencyReportData } from './report-queries';

/** Chinese names of what the report shows, for the notice board and for Excel. */
export const CATEGORY_NAMES: Record<string, string> = {
  FACILITY_FEE: '场地使用费',
  SERVICE_BUSINESS_INCOME: '社区服务经营收入',
  DONATION: '居民捐款',
  GRANT: '政府及基金会资助',
  OTHER_INCOME: '其他收入',
  PUBLIC_WELFARE_EXPENSE: '公益支出',
  WORKER_PAY: '社工及社区工作者薪酬',
  OPERATING_EXPENSE: '运营支出',
  CAMPAIGN_EXPENSE: '专项支出',
  REVERSAL: '冲正（退款）',
};

const FUND_KIND_NAMES: Record<string, string> = {
  UNRESTRICTED: '一般资金',
  PUBLIC_WELFARE: '公益金（限定用途）',
  DESIGNATED: '专项资金',
};

/** Integer fen as 元 with two decimals, exactly (no floating point on money). */
export function yuan(fen: number): string {
  const sign = fen < 0 ? '-' : '';
  const absolute = Math.abs(fen);
  const whole = Math.trunc(absolute / 100)
    .toString()
    .replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${sign}${whole}.${String(absolute % 100).padStart(2, '0')}`;
}

export const CSV_COLUMNS = ['栏目', '名称', '项目', '金额（元）', '金额（分）', '数量'] as const;

function csvCell(value: string | number): string {
  const text = String(value);
  // Quotes always, and a leading apostrophe for formula starters, so a title cannot become an Excel formula.
  const safe = /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
  return `"${safe.replace(/"/g, '""')}"`;
}

/** UTF-8 with a byte-order mark, so Excel opens the Chinese text correctly; CRLF line ends as RFC 4180 says. */
export function reportCsv(report: TransparencyReportData): string {
  const rows: (string | number)[][] = [[...CSV_COLUMNS]];
  const money = (section: string, name: string, item: string, fen: number) =>
    rows.push([section, name, item, yuan(fen), fen, '']);
  for (const fund of report.funds) {
    money('基金', fund.name, '期初余额', fund.openingFen);
    for (const item of fund.income)
      money('收入', fund.name, CATEGORY_NAMES[item.category] ?? item.category, item.amountFen);
    for (const item of fund.spending)
      money('支出', fund.name, CATEGORY_NAMES[item.category] ?? item.category, item.amountFen);
    money('基金', fund.name, '期末余额', fund.closingFen);
  }
  for (const month of report.months) {
    money('月度', month.month, '收入合计', month.incomeFen);
    money('月度', month.month, '支出合计', month.spendingFen);
  }
  for (const campaign of report.campaigns) {
    money('筹款项目', campaign.title, '目标', campaign.goalFen);
    money('筹款项目', campaign.title, '已筹', campaign.raisedFen);
    money('筹款项目', campaign.title, '已支出', campaign.spentFen);
  }
  for (const facility of report.facilities)
    rows.push(['场地使用', facility.name, '使用小时', '', '', facility.hoursUsed]);
  return `\uFEFF${rows.map((row) => row.map(csvCell).join(',')).join('\r\n')}\r\n`;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}

/** Months of income and spending as bars, drawn on the server: no script, no web font, prints as it shows. */
export function monthsChart(report: TransparencyReportData): string {
  const width = 760;
  const height = 260;
  const left = 70;
  const bottom = 40;
  const months = report.months;
  const peak = Math.max(1, ...months.flatMap((month) => [month.incomeFen, month.spendingFen]));
  const slot = months.length ? (width - left - 10) / months.length : 0;
  const bar = Math.max(2, Math.min(22, slot / 2 - 3));
  const scale = (fen: number) => ((height - bottom - 20) * fen) / peak;
  const bars = months
    .map((month, index) => {
      const x = left + index * slot + slot / 2;
      const income = scale(month.incomeFen);
      const spending = scale(month.spendingFen);
      return [
        `<rect class="in" x="${(x - bar - 1).toFixed(1)}" y="${(height - bottom - income).toFixed(1)}" width="${bar.toFixed(1)}" height="${income.toFixed(1)}"><title>${month.month} 收入 ${yuan(month.incomeFen)} 元</title></rect>`,
        `<rect class="out" x="${(x + 1).toFixed(1)}" y="${(height - bottom - spending).toFixed(1)}" width="${bar.toFixed(1)}" height="${spending.toFixed(1)}"><title>${month.month} 支出 ${yuan(month.spendingFen)} 元</title></rect>`,
        `<text x="${x.toFixed(1)}" y="${height - bottom + 16}" text-anchor="middle">${month.month.slice(2)}</text>`,
      ].join('');
    })
    .join('');
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-label="每月收入与支出">`,
    `<line x1="${left}" y1="${height - bottom}" x2="${width - 5}" y2="${height - bottom}" stroke="#333"/>`,
    `<text x="${left - 6}" y="24" text-anchor="end">${escapeHtml(yuan(peak))}</text>`,
    `<text x="${left - 6}" y="${height - bottom}" text-anchor="end">0</text>`,
    bars,
    `<rect class="in" x="${left}" y="${height - 14}" width="12" height="10"/><text x="${left + 16}" y="${height - 5}">收入</text>`,
    `<rect class="out" x="${left + 70}" y="${height - 14}" width="12" height="10"/><text x="${left + 86}" y="${height - 5}">支出</text>`,
    `</svg>`,
  ].join('');
}

/** The printable notice-board page: headings, every fund's figures, campaigns, facility use, and the chart. */
export function reportHtml(report: TransparencyReportData, communityName: string | null): string {
  const heading = `${communityName ? `${escapeHtml(communityName)} ` : ''}公益资金收支公示`;
  const fundTables = report.funds
    .map((fund) => {
      const lines = [
        ...fund.income.map(
          (item) =>
            `<tr><td>收入</td><td>${escapeHtml(CATEGORY_NAMES[item.category] ?? item.category)}</td><td class="n">${yuan(item.amountFen)}</td></tr>`,
        ),
        ...fund.spending.map(
          (item) =>
            `<tr><td>支出</td><td>${escapeHtml(CATEGORY_NAMES[item.category] ?? item.category)}</td><td class="n">${yuan(item.amountFen)}</td></tr>`,
        ),
      ].join('');
      return `<section class="fund"><h3>${escapeHtml(fund.name)}（${FUND_KIND_NAMES[fund.kind] ?? fund.kind}）</h3>
<table><thead><tr><th></th><th>项目</th><th>金额（元）</th></tr></thead><tbody>
<tr><td colspan="2">期初余额</td><td class="n">${yuan(fund.openingFen)}</td></tr>${lines}
<tr class="total"><td colspan="2">收入合计</td><td class="n">${yuan(fund.incomeFen)}</td></tr>
<tr class="total"><td colspan="2">支出合计</td><td class="n">${yuan(fund.spendingFen)}</td></tr>
<tr class="total"><td colspan="2">期末余额</td><td class="n">${yuan(fund.closingFen)}</td></tr></tbody></table></section>`;
    })
    .join('\n');
  const campaigns = report.campaigns.length
    ? `<table><thead><tr><th>项目</th><th>目标（元）</th><th>已筹（元）</th><th>已支出（元）</th></tr></thead><tbody>${report.campaigns
        .map(
          (campaign) =>
            `<tr><td>${escapeHtml(campaign.title)}</td><td class="n">${yuan(campaign.goalFen)}</td><td class="n">${yuan(campaign.raisedFen)}</td><td class="n">${yuan(campaign.spentFen)}</td></tr>`,
        )
        .join('')}</tbody></table>`
    : '<p>本期无筹款项目。</p>';
  const facilities = `<table><thead><tr><th>场地</th><th>预订次数</th><th>使用小时</th></tr></thead><tbody>${report.facilities
    .map(
      (facility) =>
        `<tr><td>${escapeHtml(facility.name)}</td><td class="n">${facility.bookings}</td><td class="n">${facility.hoursUsed}</td></tr>`,
    )
    .join('')}</tbody></table>`;
  return `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>${heading} ${report.from} 至 ${report.to}</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>
body{font-family:"Noto Sans CJK SC","Source Han Sans SC","Microsoft YaHei",sans-serif;margin:2em auto;max-width:800px;color:#111}
h1{font-size:1.6em;text-align:center;margin-bottom:.2em}.period{text-align:center;margin-top:0}
table{border-collapse:collapse;width:100%;margin:.5em 0 1em}th,td{border:1px solid #999;padding:.25em .5em}
td.n{text-align:right;font-variant-numeric:tabular-nums}tr.total td{font-weight:bold}
svg text{font-size:11px;font-family:sans-serif}svg .in{fill:#2e7d32}svg .out{fill:#c62828}
@media print{body{margin:0}section{break-inside:avoid}}
</style></head><body>
<h1>${heading}</h1>
<p class="period">报告期：${report.from} 至 ${report.to}（北京时间）</p>
<h2>每月收入与支出</h2>
${monthsChart(report)}
<h2>各项资金收支</h2>
${fundTables || '<p>尚无资金。</p>'}
<h2>筹款项目</h2>
${campaigns}
<h2>场地使用</h2>
${facilities}
<p>公益金只用于社区公益事业和社区工作者薪酬；每一笔收支均记入不可修改的台账，更正以冲正分录进行。</p>
</body></html>
`;
}
