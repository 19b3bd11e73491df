/**
 * The PostgreSQL part alone (`@taoyuan/testing/postgres`): the local launcher needs only this, and the package's main
 * entry also loads the HTTP helpers and, through them, service-kit (typeorm, type-graphql): 0.7 s at every start.
 */
export * from './embedded-postgres';
export { databaseUrl } from './test-database';
