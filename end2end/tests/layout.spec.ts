import { test, expect, hydrated, REFERENCE_PATH } from "./fixtures";

const WIDTHS = [360, 768, 1280];
const PAGES: [string, string][] = [
  ["home", "/"],
  ["category", "/chuyen-muc/tin-tuc-su-kien"],
  ["article", REFERENCE_PATH],
  ["search", "/tim-kiem?q=can+tho"],
];

for (const width of WIDTHS) {
  for (const [name, path] of PAGES) {
    test(`${name} at ${width}px: no horizontal scrolling`, async ({ page, javaScriptEnabled }, testInfo) => {
      await page.setViewportSize({ width, height: 900 });
      await page.goto(path);
      await hydrated(page, javaScriptEnabled);
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      expect(overflow).toBeLessThanOrEqual(0);
      // Kept with the test results, to be looked at.
      await page.screenshot({
        path: testInfo.outputPath(`${name}-${width}.png`),
        fullPage: true,
      });
    });
  }
}

test("search works from the header form with JavaScript on or off", async ({ page, javaScriptEnabled }) => {
  await page.goto("/");
  await hydrated(page, javaScriptEnabled);
  await page.getByRole("searchbox", { name: "Từ khóa tìm kiếm" }).first().fill("CẦN THƠ");
  await page.getByRole("button", { name: "Tìm" }).first().click();
  await expect(page).toHaveURL(/\/tim-kiem\?q=/);
  await expect(page.getByRole("status")).toContainText("Tìm thấy");
  await expect(page.locator(".search-results mark").first()).toBeVisible();
});

test("pages do not shift while images, scripts and live numbers arrive", async ({ page, javaScriptEnabled }) => {
  test.skip(javaScriptEnabled === false, "layout shifts are measured with a script");
  await page.addInitScript(() => {
    const w = window as unknown as { shift: number };
    w.shift = 0;
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries() as unknown as { value: number; hadRecentInput: boolean }[]) {
        if (!entry.hadRecentInput) w.shift += entry.value;
      }
    }).observe({ type: "layout-shift", buffered: true });
  });
  for (const [, path] of PAGES) {
    for (const width of [360, 1280]) {
      await page.setViewportSize({ width, height: 900 });
      await page.goto(path);
      await hydrated(page, true);
      await page.waitForTimeout(1500);
      const shift = await page.evaluate(() => (window as unknown as { shift: number }).shift);
      expect(shift, `${path} at ${width}px`).toBeLessThan(0.01);
    }
  }
});
