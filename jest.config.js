/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  // shared/ and functions/ are roots so coverage counts files no test loads (as 0%).
  roots: ['<rootDir>/test', '<rootDir>/shared', '<rootDir>/functions'],
  testMatch: ['**/*.test.ts'],
  transform: {
    '^.+\\.ts$': [
      '@swc/jest',
      { jsc: { target: 'es2022', parser: { syntax: 'typescript' } }, module: { type: 'commonjs' } },
    ],
  },
  globalSetup: '<rootDir>/test/support/globalSetup.ts',
  globalTeardown: '<rootDir>/test/support/globalTeardown.ts',
  maxWorkers: 2,
  // Coverage of shared/ outside the simulator and the local harnesses, printed at the end of every run
  // (`npm test`): the text summary (which also counts the CLI), then one line with the product code's
  // branch coverage alone (scripts/productCoverageReport.js). v8 coverage costs little next to the
  // integration tests.
  coverageProvider: 'v8',
  collectCoverageFrom: [
    'shared/**/*.ts',
    'functions/**/*.ts',
    '!shared/sim/**',
    '!shared/local/**',
    '!shared/demo/**',
    '!shared/bench/**',
    '!shared/chaos/**',
  ],
  coverageReporters: [
    'text-summary',
    'json-summary',
    [require.resolve('./scripts/productCoverageReport.js'), { rootDir: __dirname }],
  ],
  testTimeout: 60000,
};
