/**
 * The subgraphs the supergraph is composed from, in one list: compose reads it, the gateway maps each name to a URL
 * (env `<NAME>_URL` overrides the default), and the local launcher starts them in this order.
 */
export interface SubgraphEntry {
  name: string;
  /** Folder under services/ */
  dir: string;
  defaultPort: number;
}

export const SUBGRAPHS: readonly SubgraphEntry[] = [
  { name: 'identity', dir: 'identity', defaultPort: 4001 },
  { name: 'volunteering', dir: 'volunteering', defaultPort: 4002 },
  { name: 'organizations', dir: 'organizations', defaultPort: 4003 },
  { name: 'marketplace', dir: 'marketplace', defaultPort: 4004 },
  { name: 'assets', dir: 'assets', defaultPort: 4005 },
  { name: 'partners', dir: 'partners', defaultPort: 4006 },
  { name: 'notifications', dir: 'notifications', defaultPort: 4007 },
];

export function subgraphUrlVariable(name: string): string {
  return `${name.toUpperCase()}_URL`;
}

export function defaultSubgraphUrl(entry: SubgraphEntry): string {
  return `http://127.0.0.1:${entry.defaultPort}/graphql`;
}
