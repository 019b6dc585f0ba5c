import { test as base, expect, type Page } from "@playwright/test";

/**
 * Every test fails on a `console.error` or an uncaught page error: that is how
 * hydration mismatches and panics in the WASM show themselves.
 */
export const test = base.extend<{ page: Page }>({
  page: async ({ page }, use) => {
    const problems: string[] = [];
    page.on("console", (message) => {
      if (message.type() === "error") problems.push(`console.error: ${message.text()}`);
    });
    page.on("pageerror", (error) => problems.push(`page error: ${error.message}`));
    await use(page);
    expect(problems, "the browser reported errors").toEqual([]);
  },
});

export { expect };

/** Waits until the WASM has hydrated the page (a no-op with JavaScript off). */
export async function hydrated(page: Page, javaScriptEnabled: boolean | undefined) {
  if (javaScriptEnabled === false) return;
  await page.locator("body[data-hydrated]").waitFor({ state: "attached" });
}

export const REFERENCE_TITLE =
  "Cần Thơ tổ chức Hội nghị tổng kết Chương trình hành động nâng cao chỉ số Hiệu quả quản trị và Hành chính công giai đoạn 2015-2017";
export const REFERENCE_PATH =
  "/tin-tuc/can-tho-to-chuc-hoi-nghi-tong-ket-chuong-trinh-hanh-dong-nang-cao-chi-so-hieu-qua-quan-tri-va-hanh-chinh-cong-giai-doan-2015-2017";
