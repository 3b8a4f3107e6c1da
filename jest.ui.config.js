/**
 * `npm run check:ui:dev`: the Web UI check on the dev server's UI (test/ui), in headless Chromium.
 * `npm run check:ui` runs it and the same check on the cluster's UI (jest.cluster.config.js).
 */
const base = require('./jest.config');
/** @type {import('jest').Config} */
module.exports = { ...base, testMatch: ['**/test/ui/**/*.check.ts'], maxWorkers: 1 };
