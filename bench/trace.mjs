// One cold load of a page on the phone profile (4x CPU, 1.6 Mbps, 150 ms)
// with a Chromium trace, summarised: the renderer's main-thread time in
// layout and in style, and its longest tasks, in ms from the HTML's first
// byte. With CSS_FROM and CSS_TO, the stylesheet is rewritten first (an
// experiment: what a CSS change would save, without a rebuild).
//   BASE=http://127.0.0.1:3388 node bench/trace.mjs /tin-tuc/...
//   CSS_FROM='Segoe UI,Roboto,Noto Sans,Helvetica Neue,Arial,sans-serif' \
//     CSS_TO='DejaVu Sans' BASE=... node bench/trace.mjs /tin-tuc/...
import { createRequire } from "node:module";
const require = createRequire(new URL("../end2end/package.json", import.meta.url));
const { chromium } = require("@playwright/test");

const base = process.env.BASE ?? "http://127.0.0.1:3000";
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
  args: ["--no-sandbox"],
});
for (const path of process.argv.slice(2)) {
  const context = await browser.newContext({ viewport: { width: 360, height: 740 }, isMobile: true });
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send("Network.enable");
  await cdp.send("Network.setCacheDisabled", { cacheDisabled: true });
  await cdp.send("Network.emulateNetworkConditions", {
    offline: false, latency: 150, downloadThroughput: (1.6 * 1024 * 1024) / 8,
    uploadThroughput: (750 * 1024) / 8,
  });
  await cdp.send("Emulation.setCPUThrottlingRate", { rate: 4 });
  if (process.env.CSS_FROM) {
    await page.route("**/*.css", async (route) => {
      const response = await route.fetch();
      const body = (await response.text()).split(process.env.CSS_FROM).join(process.env.CSS_TO ?? "");
      await route.fulfill({ response, body, headers: { ...response.headers(), "content-encoding": "identity" } });
    });
  }
  await browser.startTracing(page, { categories: ["devtools.timeline", "loading"] });
  await page.goto(base + path, { waitUntil: "load" });
  await page.waitForSelector("body[data-hydrated]", { timeout: 60000 });
  const events = JSON.parse((await browser.stopTracing()).toString()).traceEvents;
  await context.close();
  const parse = events.find((e) => e.name === "ParseHTML");
  const main = events.filter((e) => e.pid === parse.pid && e.tid === parse.tid && e.ph === "X");
  const firstByte = Math.min(...main.filter((e) => e.name === "ParseHTML").map((e) => e.ts));
  const total = (name) => Math.round(main.filter((e) => e.name === name).reduce((sum, e) => sum + e.dur, 0) / 1000);
  const longest = main
    .filter((e) => e.dur > 20000 && e.ts >= firstByte)
    .sort((a, b) => a.ts - b.ts)
    .map((e) => ({ at_ms: Math.round((e.ts - firstByte) / 1000), ms: Math.round(e.dur / 1000), what: e.name }));
  console.log(JSON.stringify({ path, layout_ms: total("Layout"), style_ms: total("UpdateLayoutTree"), tasks_over_20_ms: longest }));
}
await browser.close();
