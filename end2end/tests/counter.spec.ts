import { test, expect, hydrated } from "./fixtures";

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

  await expect.poll(async () => parseCount(await today.textContent()), { timeout: 15_000 }).toBe(todayBefore + 1);
  expect(parseCount(await online.textContent())).toBe(onlineBefore + 1);
  expect(await watcher.evaluate(() => (window as unknown as { stillHere?: boolean }).stillHere)).toBe(true);
  expect(errors).toEqual([]);
  await visitorContext.close();
  await watcherContext.close();
});

test("a page is counted once: by the server on load, by a beacon on client-side navigation", async ({ browser, javaScriptEnabled }) => {
  test.skip(javaScriptEnabled === false, "beacons need JavaScript");
  const context = await browser.newContext({ userAgent: DESKTOP });
  const page = await context.newPage();
  const beacons: string[] = [];
  page.on("request", (request) => {
    if (request.method() === "POST" && new URL(request.url()).pathname === "/api/luot-truy-cap") {
      beacons.push(request.postData() ?? "");
    }
  });
  await page.goto("/");
  await hydrated(page, true);
  await page.waitForTimeout(500);
  // The server counted the page it rendered; hydration reports nothing more.
  expect(beacons).toEqual([]);
  await page.locator(".latest").getByRole("link").first().click();
  await expect(page).toHaveURL(/\/tin-tuc\//);
  await expect.poll(() => beacons.length).toBe(1);
  expect(beacons[0]).toBe(new URL(page.url()).pathname);
  await context.close();
});
