// Per-test timeout of the stack-backed Jest projects (jest.config.js): a backtest replay asks Prometheus for
// 90 days of history, far beyond Jest's 5 s default.
jest.setTimeout(300000);
