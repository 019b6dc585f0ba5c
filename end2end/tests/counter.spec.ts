import type { Page } from "@playwright/test";
import { test, expect, hydrated, REFERENCE_PATH } from "./fixtures";
import { E2E_PASSWORD, EDITOR } from "./accounts";

// Playwright's own "HeadlessChrome" user agent is a bot and is not counted:
// these tests browse as ordinary desktop and phone browsers.
const DESKTOP =
  "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";
const PHONE =
  "Mozilla/5.0 (Linux; Android 14; SM-A155F) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36";

function parseCount(text: string | null): number {
  return Number((text ?? "").replace(/\./g, ""));
}

test("the counter renders with every figure, formatted the Vietnamese way", async ({ page, javaScriptEnabled }) => {
  await page.goto("/");
  await hydrated(page, javaScriptEnabled);
  const widget = page.getByRole("region", { name: "Lượt truy cập" });
  for (const label of ["Đang online", "Hôm nay", "Hôm qua", "Tuần này", "Tháng này", "Tất cả"]) {
    await expect(widget.getByText(label, { exact: true })).toBeVisible();
  }
  // The demo carries over 123.081 visits from the old portal, plus its history.
  const total = await widget.locator('[data-stat="total"] dd').textContent();
  expect(total).toMatch(/^\d{1,3}(\.\d{3})+$/);
  expect(parseCount(total)).toBeGreaterThan(123081);
});

test("another visitor's visit updates an open page without a reload", async ({ browser, javaScriptEnabled }) => {
  test.skip(javaScriptEnabled === false, "live updates need JavaScript");
  const watcherContext = await browser.newContext({ userAgent: DESKTOP });
  const watcher = await watcherContext.newPage();
  const errors: string[] = [];
  watcher.on("pageerror", (e) => errors.push(e.message));
  watcher.on("console", (m) => m.type() === "error" && errors.push(m.text()));
  await watcher.goto("/");
  await hydrated(watcher, true);
  await watcher.evaluate(() => ((window as unknown as { stillHere: boolean }).stillHere = true));
  const today = watcher.locator('[data-stat="today"] dd');
  const online = watcher.locator('[data-stat="online"] dd');
  // Wait for the live stream to deliver the watcher's own visit.
  await expect.poll(async () => parseCount(await online.textContent()), { timeout: 10_000 }).toBeGreaterThan(0);
  const todayBefore = parseCount(await today.textContent());
  const onlineBefore = parseCount(await online.textContent());

  const visitorContext = await browser.newContext({ userAgent: PHONE });
  const visitor = await visitorContext.newPage();
  const response = await visitor.goto("/");
  expect(response?.status()).toBe(200);

  // Other tests browse at the same time: their visits may arrive too.
  await expect.poll(async () => parseCount(await today.textContent()), { timeout: 15_000 }).toBeGreaterThanOrEqual(todayBefore + 1);
  await expect.poll(async () => parseCount(await online.textContent()), { timeout: 15_000 }).toBeGreaterThanOrEqual(onlineBefore + 1);
  expect(await watcher.evaluate(() => (window as unknown as { stillHere?: boolean }).stillHere)).toBe(true);
  expect(errors).toEqual([]);
  await visitorContext.close();
  await watcherContext.close();
});

/** Beacons the page sends to the counter, by path. */
function recordBeacons(page: Page): string[] {
  const beacons: string[] = [];
  page.on("request", (request) => {
    if (request.method() === "POST" && new URL(request.url()).pathname === "/api/luot-truy-cap") {
      beacons.push(request.postData() ?? "");
    }
  });
  return beacons;
}

test("following a link counts the new page once", async ({ browser, javaScriptEnabled }) => {
  test.skip(javaScriptEnabled === false, "beacons need JavaScript");
  const context = await browser.newContext({ userAgent: DESKTOP });
  const page = await context.newPage();
  const beacons = recordBeacons(page);
  await page.goto("/");
  await hydrated(page, true);
  expect(beacons, "the server counted the page it rendered").toEqual([]);
  // Hovering lets the browser prerender the article (Speculation Rules).
  const link = page.locator(".latest").getByRole("link").first();
  await link.hover();
  await page.waitForTimeout(800);
  await link.click();
  await expect(page).toHaveURL(/\/tin-tuc\//);
  await hydrated(page, true);
  await page.waitForTimeout(500);
  // A page the browser prerendered or prefetched was not counted by the
  // server (Sec-Purpose), so it reports itself once shown; a page loaded
  // normally was counted by the server and reports nothing.
  const speculative = await page.evaluate(() => {
    const entry = performance.getEntriesByType("navigation")[0] as PerformanceNavigationTiming & { deliveryType?: string };
    return entry.activationStart > 0 || entry.deliveryType === "navigational-prefetch";
  });
  expect(beacons).toEqual(speculative ? [new URL(page.url()).pathname] : []);
  await context.close();
});

/**
 * Makes the next documents of `page` believe they are being prerendered
 * until `window.activatePrerender()` is called, as Chromium does for a page
 * prerendered by Speculation Rules.
 */
async function fakePrerendering(page: Page) {
  await page.addInitScript(() => {
    let prerendering = true;
    Object.defineProperty(Document.prototype, "prerendering", { configurable: true, get: () => prerendering });
    (window as unknown as { activatePrerender: () => void }).activatePrerender = () => {
      prerendering = false;
      document.dispatchEvent(new Event("prerenderingchange"));
    };
  });
}

test("a prerendered page counts once, when the reader opens it", async ({ browser, javaScriptEnabled }) => {
  test.skip(javaScriptEnabled === false, "prerendering needs JavaScript");
  const context = await browser.newContext({ userAgent: DESKTOP });
  const page = await context.newPage();
  const beacons = recordBeacons(page);
  await fakePrerendering(page);
  // What Chromium sends for a prerender: the server does not count it.
  await page.setExtraHTTPHeaders({ "Sec-Purpose": "prefetch;prerender" });
  await page.goto(REFERENCE_PATH);
  await hydrated(page, true);
  await page.waitForTimeout(300);
  expect(beacons, "reported while still prerendering").toEqual([]);
  await page.evaluate(() => (window as unknown as { activatePrerender: () => void }).activatePrerender());
  await expect.poll(() => beacons).toEqual([REFERENCE_PATH]);
  // Activation happens once.
  await page.evaluate(() => document.dispatchEvent(new Event("prerenderingchange")));
  await page.waitForTimeout(300);
  expect(beacons).toEqual([REFERENCE_PATH]);

  // A prerendered error page is never reported.
  const missing = await context.newPage();
  const missingBeacons = recordBeacons(missing);
  await fakePrerendering(missing);
  await missing.setExtraHTTPHeaders({ "Sec-Purpose": "prefetch;prerender" });
  await missing.goto("/tin-tuc/khong-co-bai-nay");
  await missing.evaluate(() => (window as unknown as { activatePrerender: () => void }).activatePrerender());
  await missing.waitForTimeout(500);
  expect(missingBeacons).toEqual([]);
  await context.close();
});

test("a page served from a prefetch reports itself once", async ({ browser, javaScriptEnabled }) => {
  test.skip(javaScriptEnabled === false, "beacons need JavaScript");
  const context = await browser.newContext({ userAgent: DESKTOP });
  const page = await context.newPage();
  const beacons = recordBeacons(page);
  await page.addInitScript(() => {
    Object.defineProperty(PerformanceNavigationTiming.prototype, "deliveryType", {
      configurable: true,
      get: () => "navigational-prefetch",
    });
  });
  await page.goto("/chuyen-muc/tin-tuc-su-kien");
  await hydrated(page, true);
  await expect.poll(() => beacons).toEqual(["/chuyen-muc/tin-tuc-su-kien"]);
  await page.waitForTimeout(300);
  expect(beacons).toHaveLength(1);
  await context.close();
});

/** Pretends the page's tab is hidden (another tab in front, window minimised). */
async function hide(page: Page) {
  await page.evaluate(() => {
    Object.defineProperty(document, "hidden", { configurable: true, get: () => true });
    Object.defineProperty(document, "visibilityState", { configurable: true, get: () => "hidden" });
    document.dispatchEvent(new Event("visibilitychange"));
  });
}

async function show(page: Page) {
  await page.evaluate(() => {
    Object.defineProperty(document, "hidden", { configurable: true, get: () => false });
    Object.defineProperty(document, "visibilityState", { configurable: true, get: () => "visible" });
    document.dispatchEvent(new Event("visibilitychange"));
  });
}

async function roles(pages: Page[]): Promise<string[]> {
  return Promise.all(pages.map((p) => p.locator(".visitor-stats").getAttribute("data-live").then((r) => r ?? "")));
}

test("seven open tabs share one live stream and the site stays usable", async ({ browser, javaScriptEnabled }) => {
  test.skip(javaScriptEnabled === false, "live updates need JavaScript");
  test.setTimeout(90_000);
  const context = await browser.newContext({ userAgent: DESKTOP });
  const tabs: Page[] = [];
  for (let i = 0; i < 7; i++) {
    const tab = await context.newPage();
    await tab.goto(i % 2 === 0 ? "/" : REFERENCE_PATH, { timeout: 10_000 });
    await hydrated(tab, true);
    tabs.push(tab);
  }
  await expect.poll(async () => (await roles(tabs)).filter((r) => r === "leader").length).toBe(1);
  expect((await roles(tabs)).filter((r) => r === "follower")).toHaveLength(6);

  // An eighth tab loads, and a search from an open tab answers.
  const eighth = await context.newPage();
  const response = await eighth.goto("/tim-kiem?q=can+tho", { timeout: 10_000 });
  expect(response?.status()).toBe(200);
  await tabs[3].getByRole("searchbox", { name: "Từ khóa tìm kiếm" }).first().fill("một cửa");
  await tabs[3].getByRole("button", { name: "Tìm" }).first().click();
  await expect(tabs[3].getByRole("status")).toContainText("Tìm thấy", { timeout: 10_000 });
  await tabs[3].goto("/");
  await hydrated(tabs[3], true);
  await eighth.close();

  // Another reader's visit reaches every tab through the one stream.
  const today = (tab: Page) => tab.locator('[data-stat="today"] dd').textContent().then(parseCount);
  await expect.poll(async () => (await roles(tabs)).filter((r) => r === "leader").length).toBe(1);
  const before = await Promise.all(tabs.map(today));
  const visitorContext = await browser.newContext({ userAgent: PHONE + " seven-tabs" });
  await (await visitorContext.newPage()).goto("/");
  for (const [i, tab] of tabs.entries()) {
    await expect.poll(() => today(tab), { timeout: 15_000 }).toBeGreaterThan(before[i]);
  }
  await visitorContext.close();

  // The leader's tab closes: another visible tab takes the stream over.
  const leader = (await roles(tabs)).indexOf("leader");
  await tabs[leader].close();
  tabs.splice(leader, 1);
  await expect.poll(async () => (await roles(tabs)).filter((r) => r === "leader").length).toBe(1);

  // No tab visible: no stream at all; one shown again: it streams.
  for (const tab of tabs) await hide(tab);
  await expect.poll(async () => (await roles(tabs)).filter((r) => r === "leader").length).toBe(0);
  expect(new Set(await roles(tabs))).toEqual(new Set(["paused"]));
  await show(tabs[2]);
  await expect.poll(async () => (await roles(tabs))[2]).toBe("leader");
  await context.close();
});

test("an article published while the home page is open is offered without a reload", async ({ browser, page, javaScriptEnabled }) => {
  test.skip(javaScriptEnabled === false, "live updates need JavaScript");
  await page.goto("/");
  await hydrated(page, true);
  await page.evaluate(() => ((window as unknown as { stillHere: boolean }).stillHere = true));
  await expect(page.locator(".visitor-stats[data-live='leader']")).toHaveCount(1);
  await expect(page.locator(".fresh-news-button")).toHaveCount(0);

  // An editor publishes an article in another browser.
  const title = `Tin đăng khi bạn đọc đang mở trang chủ ${Date.now()}`;
  const editorContext = await browser.newContext();
  const editor = await editorContext.newPage();
  await editor.goto("/dang-nhap");
  await editor.getByLabel("Tên đăng nhập").fill(EDITOR);
  await editor.getByLabel("Mật khẩu").fill(E2E_PASSWORD);
  await editor.locator(".login-form").getByRole("button", { name: "Đăng nhập" }).click();
  await expect(editor).toHaveURL(/\/quan-tri\/$/);
  const status = await editor.evaluate(async (title) => {
    const call = (endpoint: string, body: unknown) =>
      fetch(`/api/quan-tri/${endpoint}`, {
        method: "POST",
        headers: { "content-type": "application/json", accept: "application/json" },
        body: JSON.stringify(body),
      }).then((r) => r.json());
    const draft = { title, excerpt: "Tóm tắt của tin mới.", body_html: "<p>Nội dung.</p>", author: "Ban biên tập", category_id: 1, slug: "" };
    const created = await call("tao-bai", { draft });
    const published = await call("chuyen-trang-thai", { id: created.id, step: "Publish", comment: "" });
    return published.status;
  }, title);
  expect(status).toBe("Published");
  await editorContext.close();

  // The open page offers it (other tests may publish at the same time).
  const offer = page.getByRole("button", { name: /^Có \d+ tin mới$/ });
  await expect(offer).toBeVisible({ timeout: 15_000 });
  await offer.click();
  const fresh = page.locator(".feed-fresh");
  await expect(fresh.getByRole("link", { name: title })).toHaveAttribute("href", /^\/tin-tuc\//);
  await expect(fresh.locator(".feed-meta time")).not.toHaveCount(0);
  expect(await page.evaluate(() => (window as unknown as { stillHere?: boolean }).stillHere)).toBe(true);
});
