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
