import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { chineseMessage, localizeError, negotiateLocale, TRANSLATED_REASONS } from '../src/messages';

describe('negotiateLocale', () => {
  it.each([
    [undefined, 'zh-CN'],
    ['en', 'en'],
    ['en-GB,en;q=0.9', 'en'],
    ['zh-CN,zh;q=0.9,en;q=0.8', 'zh-CN'],
    ['zh-TW', 'zh-CN'],
    ['fr-FR, en;q=0.5, zh;q=0.7', 'zh-CN'],
    ['fr-FR', 'zh-CN'],
    ['en;q=0, zh', 'zh-CN'],
  ] as const)('%s → %s (default zh-CN)', (header, locale) => {
    expect(negotiateLocale(header, 'zh-CN')).toBe(locale);
  });

  it('falls back to the deployment default when nothing matches', () => {
    expect(negotiateLocale('de', 'en')).toBe('en');
    expect(negotiateLocale('*', 'en')).toBe('en');
  });
});

describe('localizeError', () => {
  const conflict = {
    message: 'This shift has already started',
    extensions: { code: 'CONFLICT', reason: 'SHIFT_STARTED' },
  };

  it('gives the Chinese text in zh-CN and keeps the English one beside it, code and reason unchanged', () => {
    const zh = localizeError(conflict, 'zh-CN');
    expect(zh.message).toBe('该班次已经开始');
    expect(zh.extensions).toEqual({ code: 'CONFLICT', reason: 'SHIFT_STARTED', messageEn: conflict.message });
    expect(localizeError(conflict, 'en').message).toBe(conflict.message);
  });

  it('is idempotent, so the gateway can localize what a subgraph already localized', () => {
    const once = localizeError(conflict, 'zh-CN');
    expect(localizeError(once, 'en').message).toBe(conflict.message);
    expect(localizeError(once, 'zh-CN')).toEqual(once);
  });

  it('fills parameters from the extensions', () => {
    expect(chineseMessage({ code: 'TOO_MANY_REQUESTS', retryAfterSeconds: 30 })).toBe('请求过于频繁，请 30 秒后再试');
    expect(chineseMessage({ code: 'GRAPHQL_VALIDATION_FAILED', reason: 'QUERY_TOO_DEEP', limit: 12, actual: 40 })).toBe(
      '查询嵌套过深（上限 12，实际 40）',
    );
  });

  it('names the field of a bad input', () => {
    expect(chineseMessage({ code: 'BAD_USER_INPUT', field: 'input.endsAt' })).toBe('「结束时间」填写有误');
    expect(chineseMessage({ code: 'BAD_USER_INPUT', field: 'phone' })).toMatch(/手机号/);
  });
});

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const full = path.join(dir, entry);
    if (entry === 'node_modules' || entry === 'test') return [];
    if (statSync(full).isDirectory()) return sourceFiles(full);
    return full.endsWith('.ts') ? [full] : [];
  });
}

const root = path.resolve(__dirname, '../../..');

/** Every `extensions.reason` a FORBIDDEN or CONFLICT of the services, the kit or the gateway can carry. */
function raisedReasons(): Set<string> {
  const files = ['services', 'packages', 'gateway'].flatMap((dir) =>
    readdirSync(path.join(root, dir))
      .map((name) => path.join(root, dir, name, ...(dir === 'gateway' ? [] : ['src'])))
      .filter((folder) => statSync(folder, { throwIfNoEntry: false })?.isDirectory())
      .flatMap(sourceFiles),
  );
  const raised = new Set<string>();
  for (const file of files) {
    for (const match of readFileSync(file, 'utf8').matchAll(/(?:Forbidden|Conflict)Error\(\s*'([A-Z0-9_]+)'/g)) {
      raised.add(match[1]);
    }
  }
  return raised;
}

describe('the message catalogue', () => {
  // A new reason fails here until REASON_ZH in src/messages.ts gives it its Chinese text.
  it('has a Chinese text for every reason a service raises', () => {
    const raised = raisedReasons();
    expect(raised.size).toBeGreaterThan(50);
    expect([...raised].filter((reason) => !TRANSLATED_REASONS.has(reason))).toEqual([]);
  });

  // Front-ends branch on reasons; the README's table is where they look them up.
  it('lists every reason in the README', () => {
    const readme = readFileSync(path.join(root, 'README.md'), 'utf8');
    const listed = new Set([...readme.matchAll(/^\|\s*`([A-Z0-9_]+)`\s*\|/gm)].map((match) => match[1]));
    expect([...raisedReasons()].filter((reason) => !listed.has(reason))).toEqual([]);
  });
});
