// force timezone to UTC to allow tests to work regardless of local timezone
process.env.TZ = 'UTC';

const base = require('./.config/jest.config');

// @grafana/data 13 pulls in d3's .mjs files: the scaffold's transform only covers (t|j)sx?, so the same
// swc transform is applied to .mjs too (see ../shared/reference/toolchain-facts.md).
const swc = base.transform['^.+\\.(t|j)sx?$'];

module.exports = {
  ...base,
  transform: { '^.+\\.(t|j)sx?$': swc, '^.+\\.mjs$': swc },
  testPathIgnorePatterns: ['/node_modules/', '/dist/'],
};
