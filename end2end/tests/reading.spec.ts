import { test, expect, hydrated, REFERENCE_PATH } from "./fixtures";

test("the headlines never move by themselves; readers step through them", async ({ page, javaScriptEnabled }) => {
  await page.goto("/");
  await hydrated(page, javaScriptEnabled);
  const items = page.locator(".headline-list li");
  await expect(items).toHaveCount(5);
  if (javaScriptEnabled === false) {
    // Without scripts every headline is listed, and there are no dead buttons.
    for (const item of await items.all()) await expect(item).toBeVisible();
    await expect(page.getByRole("button", { name: "Tin tiếp theo" })).toBeHidden();
    return;
  }
  const visible = page.locator(".headline-list li:visible");
  await expect(visible).toHaveCount(1);
  const first = await visible.textContent();
  await page.waitForTimeout(3000);
  expect(await visible.textContent()).toBe(first);
  await page.getByRole("button", { name: "Tin tiếp theo" }).click();
  await expect(visible).toHaveCount(1);
  expect(await visible.textContent()).not.toBe(first);
  await page.getByRole("button", { name: "Tin trước" }).click();
  expect(await visible.textContent()).toBe(first);
});

test("the text size control enlarges text and is remembered across pages", async ({ page, javaScriptEnabled }) => {
  test.skip(javaScriptEnabled === false, "the control needs JavaScript; browsers' own zoom works without it");
  await page.goto("/");
  await hydrated(page, true);
  const rootSize = () =>
    page.evaluate(() => parseFloat(getComputedStyle(document.documentElement).fontSize));
  const base = await rootSize();
  await page.getByRole("button", { name: "Tăng cỡ chữ" }).click();
  await page.getByRole("button", { name: "Tăng cỡ chữ" }).click();
  expect(await rootSize()).toBeCloseTo(base * 1.25, 1);
  // A full page load keeps it, applied before the first paint.
  await page.goto(REFERENCE_PATH);
  expect(await rootSize()).toBeCloseTo(base * 1.25, 1);
  await hydrated(page, true);
  await page.getByRole("button", { name: "Cỡ chữ mặc định" }).click();
  expect(await rootSize()).toBeCloseTo(base, 1);
  await page.getByRole("button", { name: "Giảm cỡ chữ" }).click();
  expect(await rootSize()).toBeCloseTo(base * 0.875, 1);
});

test("the text size buttons say which size is on", async ({ page, javaScriptEnabled }) => {
  test.skip(javaScriptEnabled === false, "the control needs JavaScript");
  await page.goto("/");
  await hydrated(page, true);
  const smaller = page.getByRole("button", { name: "Giảm cỡ chữ" });
  const normal = page.getByRole("button", { name: "Cỡ chữ mặc định" });
  const larger = page.getByRole("button", { name: "Tăng cỡ chữ" });
  await expect(normal).toHaveAttribute("aria-pressed", "true");
  await expect(larger).toHaveAttribute("aria-pressed", "false");
  await larger.click();
  await expect(larger).toHaveAttribute("aria-pressed", "true");
  await expect(normal).toHaveAttribute("aria-pressed", "false");
  // Remembered on the next page, pressed state included.
  await page.goto(REFERENCE_PATH);
  await hydrated(page, true);
  await expect(page.getByRole("button", { name: "Tăng cỡ chữ" })).toHaveAttribute("aria-pressed", "true");
  await page.getByRole("button", { name: "Giảm cỡ chữ" }).click();
  await page.getByRole("button", { name: "Giảm cỡ chữ" }).click();
  await expect(page.getByRole("button", { name: "Giảm cỡ chữ" })).toHaveAttribute("aria-pressed", "true");
  await expect(smaller).toHaveCount(1);
});

test("a printed article names the site and its address", async ({ page, javaScriptEnabled }) => {
  await page.goto(REFERENCE_PATH);
  await hydrated(page, javaScriptEnabled);
  const source = page.locator(".print-source");
  await expect(source).toBeHidden();
  await page.emulateMedia({ media: "print" });
  await expect(source).toBeVisible();
  await expect(source).toContainText("Cải cách hành chính thành phố Cần Thơ");
  // The public address (CCHC_PUBLIC_URL), which here is the test server's.
  await expect(source).toContainText(page.url());
  await expect(page.locator(".site-header")).toBeHidden();
  await expect(page.locator(".site-aside")).toBeHidden();
});

test("the keyboard focus ring stands out on white and on the dark bars", async ({ page, javaScriptEnabled }) => {
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.goto("/");
  await hydrated(page, javaScriptEnabled);
  // Relative luminance contrast of the two tones against white and the nav blue.
  const contrasts = async () =>
    page.evaluate(() => {
      const rgb = (c: string) => (c.match(/\d+(\.\d+)?/g) ?? []).slice(0, 3).map(Number);
      const lum = ([r, g, b]: number[]) => {
        const f = (v: number) => ((v /= 255) <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4);
        return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
      };
      const ratio = (a: number[], b: number[]) => {
        const [x, y] = [lum(a), lum(b)].sort((p, q) => q - p);
        return (x + 0.05) / (y + 0.05);
      };
      const el = document.activeElement as HTMLElement;
      const style = getComputedStyle(el);
      const tones = [rgb(style.outlineColor), rgb(style.boxShadow)];
      return {
        width: parseFloat(style.outlineWidth),
        onWhite: Math.max(...tones.map((t) => ratio(t, [255, 255, 255]))),
        onBlue: Math.max(...tones.map((t) => ratio(t, [11, 79, 138]))),
      };
    });
  await page.keyboard.press("Tab");
  await page.keyboard.press("Tab");
  const ring = await contrasts();
  expect(ring.width).toBeGreaterThanOrEqual(2);
  expect(ring.onWhite).toBeGreaterThanOrEqual(3);
  expect(ring.onBlue).toBeGreaterThanOrEqual(3);
});
