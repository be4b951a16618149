// One Jest configuration, nine projects (CONTRIBUTING.md, "Jest projects"):
//   app                  src/**/*.test.ts(x), jsdom, the Grafana scaffold's setup   (scripts/suites/20-jest.sh)
//   rules                scripts/rules/*.test.ts, scripts/dashboards/*.test.ts, Node, promtool (30-rules.sh)
//   alertmanager         scripts/alertmanager/*.test.ts, Node, amtool, Alertmanager (scripts/suites/31-alertmanager.sh)
//   compose              stack/docker/*.test.ts, Node, docker-compose               (scripts/suites/32-compose.sh)
//   backtest             scripts/backtest/*.test.ts, Node                           (scripts/suites/63-stack-backtest.sh)
//   budget               scripts/budget/*.test.ts, Node (npm run budget)            (scripts/suites/63-stack-backtest.sh)
//   integration          src/**/*.integration.ts, scripts/{dashboards,rules}/*.integration.ts, against the stack's
//                        Prometheus                                                 (scripts/suites/53-slo-integration.sh)
//   backtest-integration scripts/backtest/*.integration.ts, against the stack       (scripts/suites/63-stack-backtest.sh)
//   budget-integration   scripts/budget/*.integration.ts, the CLI against the stack (scripts/suites/63-stack-backtest.sh)
// Plain `npx jest` runs the six projects that need no running stack. rules, alertmanager and compose need local
// binaries on PATH (promtool; amtool and prometheus-alertmanager, which the tests start on a free loopback port and
// stop; docker-compose, which only parses, no engine) and nothing else, and the last two take seconds: not gated.
// The three stack projects exist only when VEZA_INTEGRATION=1
// (Jest 29 has no "default projects" option, and a project that is listed always runs unless deselected):
//   VEZA_INTEGRATION=1 npx jest --selectProjects integration

// force timezone to UTC to allow tests to work regardless of local timezone
process.env.TZ = 'UTC';

const base = require('./.config/jest.config');

// @grafana/data 13 pulls in d3's .mjs files: the scaffold's transform only covers (t|j)sx?, so the same
// swc transform is applied to .mjs too (see ../shared/reference/toolchain-facts.md).
const swc = base.transform['^.+\\.(t|j)sx?$'];
const ignored = ['/node_modules/', '/dist/'];

const app = {
  ...base,
  displayName: 'app',
  rootDir: __dirname,
  transform: { '^.+\\.(t|j)sx?$': swc, '^.+\\.mjs$': swc },
  testPathIgnorePatterns: ignored,
};

// The generator, the config checks and the backtest are plain Node: no DOM, no scaffold setup.
const node = (displayName, testMatch) => ({
  displayName,
  rootDir: __dirname,
  testEnvironment: 'node',
  testMatch,
  testPathIgnorePatterns: ignored,
  transform: { '^.+\\.ts$': ['@swc/jest', { jsc: { parser: { syntax: 'typescript' } } }] },
});

// Stack-backed tests wait for Prometheus queries over 430 days of history: a longer per-test timeout (testTimeout
// is a global option in Jest 29, so it is set per project by a setup file).
const stackTimeout = ['<rootDir>/scripts/lib/jest-stack-timeout.js'];
const integration = [
  {
    ...app,
    displayName: 'integration',
    testEnvironment: 'node',
    setupFilesAfterEnv: stackTimeout,
    // Named *.integration.ts (not *.test.ts) so the app project never picks them up.
    testMatch: [
      '<rootDir>/src/**/*.integration.ts',
      '<rootDir>/scripts/dashboards/*.integration.ts',
      '<rootDir>/scripts/rules/*.integration.ts',
    ],
  },
  {
    ...node('backtest-integration', ['<rootDir>/scripts/backtest/*.integration.ts']),
    setupFilesAfterEnv: stackTimeout,
  },
  {
    ...node('budget-integration', ['<rootDir>/scripts/budget/*.integration.ts']),
    setupFilesAfterEnv: stackTimeout,
  },
];

module.exports = {
  projects: [
    app,
    node('rules', ['<rootDir>/scripts/rules/*.test.ts', '<rootDir>/scripts/dashboards/*.test.ts']),
    node('alertmanager', ['<rootDir>/scripts/alertmanager/*.test.ts']),
    node('compose', ['<rootDir>/stack/docker/*.test.ts']),
    node('backtest', ['<rootDir>/scripts/backtest/*.test.ts']),
    node('budget', ['<rootDir>/scripts/budget/*.test.ts']),
    node('history', ['<rootDir>/stack/history/*.test.ts']),
    ...(process.env.VEZA_INTEGRATION === '1' ? integration : []),
  ],
};
