/** `npm run check:ui`: drives the Temporal Web UI in headless Chromium (not part of `npm test`). */
const base = require('./jest.config');
/** @type {import('jest').Config} */
module.exports = { ...base, testMatch: ['**/test/ui/**/*.check.ts'], maxWorkers: 1 };
