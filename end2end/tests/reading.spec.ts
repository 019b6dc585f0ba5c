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
