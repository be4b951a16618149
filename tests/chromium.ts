// Debian's Chromium, never a downloaded browser: the launch options every browser run of the project shares
// (tests/preview, tests/grafana, scripts/bench-slo.ts). Without the background-networking flags Chromium keeps
// trying hosts this machine cannot reach.
export const chromiumLaunchOptions = {
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--no-first-run',
  ],
};
