export * from './builders';
export * from './embedded-postgres';
export * from './http';
export * from './test-database';
export * from './test-tokens';
export * from './wait';
export * from './kafka-collector';
export * from './tcp-proxy';
