import { EXAMPLE_TABS } from '../graphiql/example-operations';
import { sha256Hex } from '../src/persisted-documents';

/**
 * What automatic persisted queries save on every request after the first: the request carries the document's
 * SHA-256 instead of its text. Measured on the saved GraphiQL operations (the ones a resident's app sends most), as
 * POST bodies and as GET URLs (which a CDN may cache).
 */
function main() {
  const rows = EXAMPLE_TABS.map((tab) => {
    const query = tab.query.replace(/^#.*\n/gm, '');
    const variables = tab.variables ? (JSON.parse(tab.variables) as Record<string, unknown>) : {};
    const extensions = { persistedQuery: { version: 1, sha256Hash: sha256Hex(query) } };
    const full = Buffer.byteLength(JSON.stringify({ query, variables }));
    const hashed = Buffer.byteLength(JSON.stringify({ variables, extensions }));
    const getFull = `/graphql?query=${encodeURIComponent(query)}&variables=${encodeURIComponent(JSON.stringify(variables))}`;
    const getHashed = `/graphql?variables=${encodeURIComponent(JSON.stringify(variables))}&extensions=${encodeURIComponent(JSON.stringify(extensions))}`;
    return {
      operation: /(?:query|mutation) (\w+)/.exec(query)?.[1] ?? '?',
      'POST bytes (text)': full,
      'POST bytes (hash)': hashed,
      'POST saved': full - hashed,
      'GET URL (text)': getFull.length,
      'GET URL (hash)': getHashed.length,
    };
  });
  console.table(rows);
  const saved = rows.reduce((sum, row) => sum + row['POST saved'], 0) / rows.length;
  const full = rows.reduce((sum, row) => sum + row['POST bytes (text)'], 0) / rows.length;
  console.log(
    `APQ saves ${saved.toFixed(0)} bytes per POST on average (${((100 * saved) / full).toFixed(0)}% of the body)`,
  );
}

main();
