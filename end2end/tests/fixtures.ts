import { test as base, expect, type Page } from "@playwright/test";

/**
 * Every test fails on a `console.error` or an uncaught page error: that is how
 * hydration mismatches and panics in the WASM show themselves.
 */
export const test = base.extend<{ page: Page }>({
  page: async ({ page, javaScriptEnabled }, use) => {
    const problems: string[] = [];
    page.on("console", (message) => {
      if (message.type() !== "error") return;
      // Chromium logs a document that answers 404 as a failed resource; the
      // tests of the not-found page ask for exactly that.
      const url = message.location().url;
      const expected = expectedNotFound.get(page);
      if (url && expected && [new URL(url).pathname, new URL(url).pathname + new URL(url).search].some((p) => expected.has(p))) return;
      // With JavaScript off the app's bundle is never used; a preload of it
      // that fails (a run once saw a 404 right after a rebuild) is not the page's.
      if (javaScriptEnabled === false && url && new URL(url).pathname.startsWith("/pkg/")) return;
      problems.push(`console.error: ${message.text()} (${url})`);
    });
    page.on("pageerror", (error) => problems.push(`page error: ${error.message}`));
    // Say what answered an unexpected error status, so a failure tells who
    // sent it (CI once saw /banner.svg answer 404 for one test's page loads;
    // it has not been reproduced since).
    page.on("response", async (response) => {
      if (response.status() < 400) return;
      const url = new URL(response.url());
      if (url.origin !== new URL(page.url() || response.url()).origin) return;
      const expected = expectedNotFound.get(page);
      if (expected && [url.pathname, url.pathname + url.search].some((p) => expected.has(p))) return;
      if (javaScriptEnabled === false && url.pathname.startsWith("/pkg/")) return;
      const headers = response.headers();
      const body = await response.text().catch(() => "");
      problems.push(
        `response ${response.status()} for ${response.request().method()} ${url.pathname}: ` +
          `content-type ${headers["content-type"] ?? "-"}, x-request-id ${headers["x-request-id"] ?? "-"}, ` +
          `body ${JSON.stringify(body.slice(0, 160))}`,
      );
    });
    await use(page);
    expect(problems, "the browser reported errors").toEqual([]);
  },
});

export { expect };

const expectedNotFound = new WeakMap<Page, Set<string>>();

/**
 * Declares that `path` may answer with an error status in this page (a
 * refused form's 422 or 429): Chromium logs such a document as a failed load.
 */
export function expectRefusal(page: Page, path: string) {
  expectNotFound(page, path);
}

/** Declares that opening `path` (with its query, if any) in this page is expected to answer 404. */
export function expectNotFound(page: Page, path: string) {
  const paths = expectedNotFound.get(page) ?? new Set<string>();
  paths.add(path);
  expectedNotFound.set(page, paths);
}

/** Waits until the WASM has hydrated the page (a no-op with JavaScript off). */
export async function hydrated(page: Page, javaScriptEnabled: boolean | undefined) {
  if (javaScriptEnabled === false) return;
  await page.locator("body[data-hydrated]").waitFor({ state: "attached" });
}

export const REFERENCE_TITLE =
  "Cần Thơ tổ chức Hội nghị tổng kết Chương trình hành động nâng cao chỉ số Hiệu quả quản trị và Hành chính công giai đoạn 2015-2017";
export const REFERENCE_PATH =
  "/tin-tuc/can-tho-to-chuc-hoi-nghi-tong-ket-chuong-trinh-hanh-dong-nang-cao-chi-so-hieu-qua-quan-tri-va-hanh-chinh-cong-giai-doan-2015-2017";
