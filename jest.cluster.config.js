/**
 * `npm run test:cluster`: the main paths and the Web UI check against one production-shaped
 * cluster (dev/cluster), started once for the run by test/setup/cluster-global-setup.ts.
 */
const base = require('./jest.config');
/** @type {import('jest').Config} */
module.exports = {
  ...base,
  testMatch: ['**/test/cluster/**/*.test.ts', '**/test/cluster/**/*.check.ts'],
  testPathIgnorePatterns: ['/node_modules/'],
  globalSetup: '<rootDir>/test/setup/cluster-global-setup.ts',
  globalTeardown: '<rootDir>/test/setup/cluster-global-teardown.ts',
  // One file at a time: the cluster's fifteen processes already fill two cores.
  maxWorkers: 1,
};
