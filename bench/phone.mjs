// Citizens' pages on a cheap phone: for each page, the bytes transferred
// (HTML, CSS, JS, WASM; photos listed apart) and, under the phone profile
// of issue 9 (4x CPU slowdown, 1.6 Mbps down, 750 kbps up, 150 ms round
// trip), the time from the first byte of the HTML to the largest
// contentful paint and to the page being interactive (every island
// hydrated: <body data-hydrated>). A cold cache for every load. The phone
// loads are repeated (PHONE_RUNS, default 5) and the median of each figure
// is reported with its range, since one load on a shared machine varies.
//   BASE=http://127.0.0.1:3000 node bench/phone.mjs [PATH ...]
// (bench/weights.sh starts a release server and runs it.)
import { createRequire } from "node:module";
const require = createRequire(new URL("../end2end/package.json", import.meta.url));
const { chromium } = require("@playwright/test");

const base = process.env.BASE ?? "http://127.0.0.1:3000";
const phoneRuns = Math.max(1, Number(process.env.PHONE_RUNS ?? 5));
const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : Math.round((sorted[mid - 1] + sorted[mid]) / 2);
};
const paths = process.argv.slice(2);
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
  args: ["--no-sandbox"],
});
const kinds = (type, url) =>
  url.endsWith(".wasm") ? "wasm" : type === "document" ? "html" : type === "stylesheet" ? "css"
    : type === "script" ? "js" : type === "image" ? "photo" : "other";

const results = [];
for (const path of paths) {
  const result = { path };
  const phone = [];
  for (const profile of ["fast", ...Array(phoneRuns).fill("phone")]) {
    const context = await browser.newContext({ viewport: { width: 360, height: 740 }, isMobile: true });
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    await cdp.send("Network.enable");
    await cdp.send("Network.setCacheDisabled", { cacheDisabled: true });
    if (profile === "phone") {
      await cdp.send("Network.emulateNetworkConditions", {
        offline: false, latency: 150, downloadThroughput: (1.6 * 1024 * 1024) / 8,
        uploadThroughput: (750 * 1024) / 8,
      });
      await cdp.send("Emulation.setCPUThrottlingRate", { rate: 4 });
    }
    const bytes = {};
    const types = new Map();
    cdp.on("Network.responseReceived", (e) => types.set(e.requestId, [e.type?.toLowerCase(), e.response.url]));
    cdp.on("Network.loadingFinished", (e) => {
      const [type, url] = types.get(e.requestId) ?? ["other", ""];
      const kind = kinds(type, url);
      bytes[kind] = (bytes[kind] ?? 0) + e.encodedDataLength;
    });
    await page.addInitScript(() => {
      window.__lcp = 0;
      window.__hydrated = NaN;
      new MutationObserver(() => {
        if (Number.isNaN(window.__hydrated) && document.body?.hasAttribute("data-hydrated")) {
          window.__hydrated = performance.now();
        }
      }).observe(document, { attributes: true, subtree: true, attributeFilter: ["data-hydrated"] });
      new PerformanceObserver((list) => {
        for (const entry of list.getEntries()) window.__lcp = entry.startTime;
      }).observe({ type: "largest-contentful-paint", buffered: true });
    });
    await page.goto(base + path, { waitUntil: "load" });
    await page.waitForSelector("body[data-hydrated]", { timeout: 60000 });
    const timing = await page.evaluate(() => {
      const nav = performance.getEntriesByType("navigation")[0];
      const wasm = performance.getEntriesByType("resource").find((r) => r.name.endsWith(".wasm"));
      return {
        responseStart: nav.responseStart, lcp: window.__lcp, hydratedAt: window.__hydrated,
        load: nav.loadEventEnd, domContentLoaded: nav.domContentLoadedEventEnd,
        wasmStart: wasm?.startTime ?? NaN, wasmEnd: wasm?.responseEnd ?? NaN,
      };
    });
    await context.close();
    if (profile === "fast") {
      result.bytes = bytes;
      result.total_without_photos = Object.entries(bytes)
        .filter(([k]) => k !== "photo").reduce((sum, [, v]) => sum + v, 0);
    } else {
      phone.push({
        lcp_after_first_byte_ms: Math.round(timing.lcp - timing.responseStart),
        interactive_after_first_byte_ms: Math.round(timing.hydratedAt - timing.responseStart),
        load_after_first_byte_ms: Math.round(timing.load - timing.responseStart),
        // Where the time to interactive goes: the HTML parsed, the WASM
        // requested and received (its compiling and the islands' hydration
        // come after that).
        dom_content_loaded_after_first_byte_ms: Math.round(timing.domContentLoaded - timing.responseStart),
        wasm_requested_after_first_byte_ms: Math.round(timing.wasmStart - timing.responseStart),
        wasm_received_after_first_byte_ms: Math.round(timing.wasmEnd - timing.responseStart),
      });
    }
  }
  result.phone = { runs: phone.length };
  for (const key of Object.keys(phone[0])) {
    const values = phone.map((run) => run[key]);
    result.phone[key] = median(values);
    result.phone[key.replace(/_ms$/, "_range_ms")] = [Math.min(...values), Math.max(...values)];
  }
  results.push(result);
}
await browser.close();
console.log(JSON.stringify(results, null, 2));
