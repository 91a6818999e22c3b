import { defineConfig } from '@playwright/test';

/**
 * End-to-end tests drive the real renderer in Debian's Chromium against the real engine behind
 * the local web host (this machine cannot fetch an Electron binary). electron.spec.ts runs the
 * desktop shell itself wherever an Electron binary exists, and says plainly when it skips.
 */
export default defineConfig({
  testDir: '.',
  outputDir: './test-results',
  timeout: 120_000,
  expect: { timeout: 20_000 },
  fullyParallel: false,
  workers: 1,
  retries: process.env.CI ? 1 : 0,
  reporter: [['list']],
  use: {
    screenshot: 'only-on-failure',
    trace: 'retain-on-failure',
    viewport: { width: 1360, height: 860 },
    browserName: 'chromium',
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      // Without the background-networking flags Chromium tries to reach Google's hosts at start.
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        // Chromium resolves hosts of its own (connectivity checks) even so: nothing but this machine
        // is resolved, and its own DNS client is off, so the tests open no connection off loopback.
        '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE 127.0.0.1',
        '--disable-features=AsyncDns,DnsOverHttps',
      ],
    },
  },
});
