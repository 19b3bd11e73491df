import 'reflect-metadata';

export * from './auth';
export * from './config';
export * from './context';
export * from './database';
export * from './errors';
export * from './federation';
export * from './gateway-access';
export * from './ids';
export * from './logger';
export * from './messages';
export * from './metrics';
export * from './pagination';
export * from './query-limits';
export * from './server';
export * from './subgraph';
export * from './text';
