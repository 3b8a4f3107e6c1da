/** `npm run histories:capture`: runs every reminder path on real servers and saves each history. */
const base = require('./jest.config');
/** @type {import('jest').Config} */
module.exports = { ...base, testMatch: ['**/test/replay/capture/*.capture.ts'], maxWorkers: 1 };
