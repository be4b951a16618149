// Jest for the rule generator only (the root config covers src/ and runs in jsdom; this is plain Node).
// Run by scripts/suites/30-rules.sh: npx jest -c scripts/rules/jest.config.js
module.exports = {
  rootDir: __dirname,
  testEnvironment: 'node',
  testMatch: ['<rootDir>/*.test.ts'],
  transform: { '^.+\\.ts$': ['@swc/jest', { jsc: { parser: { syntax: 'typescript' } } }] },
};
