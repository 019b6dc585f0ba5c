import { defineConfig } from "@playwright/test";
import { E2E_PASSWORD } from "./tests/accounts";

// The server under test is the debug build that `scripts/test.sh` makes with
// cargo-leptos; it runs on its own port with a fresh SQLite database.
const port = Number(process.env.CCHC_E2E_PORT ?? 3100);
const baseURL = `http://127.0.0.1:${port}`;

export default defineConfig({
  testDir: "./tests",
  timeout: 30_000,
  expect: { timeout: 10_000 },
  fullyParallel: true,
  forbidOnly: !!process.env.CI,
  // On CI a failed test runs once more and, if it then passes, is reported
  // as flaky in the list (with its first failure's trace kept); locally
  // every failure stands.
  retries: process.env.CI ? 1 : 0,
  workers: 2,
  reporter: process.env.CI ? [["list"]] : [["list"], ["html", { open: "never" }]],
  use: {
    baseURL,
    // New headless Chromium sends an ordinary Chrome user agent. Tests browse
    // as a declared headless browser, which the visitor counter ignores like
    // any bot; the counter's own tests browse as people (tests/counter.spec.ts).
    userAgent:
      "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/156.0.0.0 Safari/537.36",
    trace: "retain-on-failure",
    launchOptions: {
      // Debian's Chromium: Playwright cannot download its own browser here.
      executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
      ],
    },
  },
  projects: [
    { name: "ssr", use: { javaScriptEnabled: false } },
    { name: "hydrated", use: { javaScriptEnabled: true } },
  ],
  webServer: {
    cwd: "..",
    command: "bash end2end/start-server.sh",
    url: baseURL,
    reuseExistingServer: false,
    timeout: 60_000,
    stdout: "pipe",
    stderr: "pipe",
    env: {
      DATABASE_URL: "sqlite://target/e2e/portal.db?mode=rwc",
      CCHC_MEDIA_DIR: "target/e2e/media",
      CCHC_DOCUMENTS_DIR: "target/e2e/documents",
      // The questions tests give each test its own network through
      // X-Forwarded-For, as a reverse proxy would.
      CCHC_TRUSTED_PROXIES: "127.0.0.1",
      // Every test runs from this one machine, most without a forwarded
      // address: the per-address rate limits (tested in
      // server/tests/limits.rs) would refuse the suite's many sign-ins.
      CCHC_RATE_LIMITS: "false",
      LEPTOS_SITE_ADDR: `127.0.0.1:${port}`,
      LEPTOS_SITE_ROOT: "target/site",
      RUST_LOG: "warn",
      CCHC_E2E_PASSWORD: E2E_PASSWORD,
    },
  },
});
