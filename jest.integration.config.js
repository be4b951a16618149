// Integration tests of src/api + src/slo against the local stack's real Prometheus (127.0.0.1:9090, or
// PROMETHEUS_URL). Run by scripts/suites/53-slo-integration.sh; `npx jest` (unit tests) ignores them.
process.env.TZ = 'UTC';
const unit = require('./jest.config');

module.exports = {
  ...unit,
  testEnvironment: 'node',
  setupFilesAfterEnv: [],
  // Named *.integration.ts (not *.test.ts) so the unit run never picks them up.
  testMatch: ['<rootDir>/src/**/*.integration.ts'],
  testPathIgnorePatterns: ['/node_modules/', '/dist/'],
  testTimeout: 60000,
};
