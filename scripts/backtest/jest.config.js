// Jest for scripts/backtest, plain Node: the table formatter and the ground truth (*.test.ts), and the replay
// against the stack's Prometheus (*.integration.ts). Run by scripts/suites/63-stack-backtest.sh.
module.exports = {
  rootDir: __dirname,
  testEnvironment: 'node',
  testMatch: ['<rootDir>/*.test.ts', '<rootDir>/*.integration.ts'],
  transform: { '^.+\\.ts$': ['@swc/jest', { jsc: { parser: { syntax: 'typescript' } } }] },
  testTimeout: 300000,
};
