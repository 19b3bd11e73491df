/** One Jest run for the whole workspace: every package's tests, one shared PostgreSQL (see packages/testing). */
const swcTransform = [
  '@swc/jest',
  {
    jsc: {
      target: 'es2022',
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true, useDefineForClassFields: false },
      keepClassNames: true,
    },
    module: { type: 'commonjs' },
    sourceMaps: 'inline',
  },
];

/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  // jose ships ESM only; Jest's module registry (unlike Node 20.19+ itself) cannot require() it, so it is compiled too.
  transform: { '^.+\\.(ts|js)$': swcTransform },
  transformIgnorePatterns: ['/node_modules/(?!(\\.pnpm/[^/]+/node_modules/)?jose/)'],
  testMatch: ['<rootDir>/{services,packages,examples}/*/test/**/*.test.ts', '<rootDir>/gateway/test/**/*.test.ts'],
  globalSetup: '<rootDir>/packages/testing/src/global-setup.ts',
  globalTeardown: '<rootDir>/packages/testing/src/global-teardown.ts',
  testTimeout: 60_000,
  maxWorkers: 2,
  reporters: ['default', '<rootDir>/packages/testing/src/summary-reporter.js'],
};
