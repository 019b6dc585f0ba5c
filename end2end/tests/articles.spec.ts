import { test, expect, expectNotFound, hydrated, REFERENCE_PATH, REFERENCE_TITLE } from "./fixtures";

test("the home page lists the reference article, newest first", async ({ page, javaScriptEnabled }) => {
  const response = await page.goto("/");
  expect(response?.status()).toBe(200);
  await hydrated(page, javaScriptEnabled);
  await expect(page).toHaveTitle(/^Trang chủ/);
  await expect(page.locator("html")).toHaveAttribute("lang", "vi");
  const titles = page.locator(".latest .featured-title a, .latest .feed-title a");
  await expect(titles.filter({ hasText: REFERENCE_TITLE })).toHaveAttribute("href", REFERENCE_PATH);
  const all = await titles.allTextContents();
  expect(all.indexOf("Kế hoạch tuyên truyền cải cách hành chính giai đoạn 2018-2020")).toBeLessThan(
    all.indexOf(REFERENCE_TITLE),
  );
});

test("opening the reference article shows its time, captions and byline", async ({ page, javaScriptEnabled }) => {
  await page.goto("/");
  await hydrated(page, javaScriptEnabled);
  await page.locator(".latest").getByRole("link", { name: REFERENCE_TITLE }).click();
  await expect(page).toHaveURL(REFERENCE_PATH);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(REFERENCE_TITLE);
  await expect(page).toHaveTitle(new RegExp(`^${REFERENCE_TITLE}`));
  await expect(page.locator("article time")).toHaveText("16:33 - 01/12/2017");
  await expect(page.locator("article time")).toHaveAttribute("datetime", "2017-12-01T16:33:00+07:00");
  const captions = page.locator("article figcaption");
  await expect(captions).toHaveText([
    "Toàn cảnh hội nghị",
    "Phó Giám đốc Sở Nội vụ Trương Hồng Dự trình bày báo cáo tóm tắt kết quả thực hiện Chương trình hành động",
    "Ông Lê Nguyễn Sinh Nhựt (chức vụ) tham luận tại hội nghị",
    "Phó Chủ tịch Ủy ban nhân dân thành phố Lê Văn Tâm phát biểu chỉ đạo",
  ]);
  await expect(page.locator(".article-author")).toHaveText("Việt Uyên");
});

test("an unknown article is a helpful 404 page", async ({ page, javaScriptEnabled }) => {
  expectNotFound(page, "/tin-tuc/bai-viet-khong-ton-tai");
  const response = await page.goto("/tin-tuc/bai-viet-khong-ton-tai");
  expect(response?.status()).toBe(404);
  await hydrated(page, javaScriptEnabled);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Không tìm thấy trang");
  await page.getByRole("link", { name: "Về trang chủ" }).click();
  await expect(page).toHaveURL("/");
  await expect(page.locator(".feed-item").first()).toBeVisible();
});

test("an unknown path is a 404 page", async ({ page, javaScriptEnabled }) => {
  expectNotFound(page, "/trang-khong-co");
  const response = await page.goto("/trang-khong-co");
  expect(response?.status()).toBe(404);
  await hydrated(page, javaScriptEnabled);
  await expect(page).toHaveTitle(/^Không tìm thấy trang/);
});

test("moving between pages leaves focus and scrolling where a page load would", async ({ page, javaScriptEnabled }) => {
  await page.setViewportSize({ width: 1280, height: 700 });
  await page.goto("/");
  await hydrated(page, javaScriptEnabled);
  // The skip link is the first stop and moves focus into the content.
  await page.keyboard.press("Tab");
  await expect(page.getByRole("link", { name: "Bỏ qua, đến nội dung chính" })).toBeFocused();
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(/#noi-dung$/);
  await expect(page.locator("#noi-dung")).toBeFocused();
  await page.keyboard.press("Tab");
  expect(await page.evaluate(() => document.activeElement?.closest("#noi-dung") !== null)).toBe(true);

  // Opening an article by keyboard: the new page starts at its top, focus at
  // the start of the document, and its title is the article's.
  await page.goto("/");
  await hydrated(page, javaScriptEnabled);
  await page.locator(".latest").getByRole("link", { name: REFERENCE_TITLE }).focus();
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(REFERENCE_PATH);
  await hydrated(page, javaScriptEnabled);
  await expect(page).toHaveTitle(new RegExp(`^${REFERENCE_TITLE}`));
  expect(await page.evaluate(() => window.scrollY)).toBe(0);
  await page.keyboard.press("Tab");
  await expect(page.getByRole("link", { name: "Bỏ qua, đến nội dung chính" })).toBeFocused();

  // Back returns to where the reader was on the list, not to a fixed place.
  await page.goto("/");
  await hydrated(page, javaScriptEnabled);
  const link = page.locator(".category-block a").last();
  await link.scrollIntoViewIfNeeded();
  await page.evaluate(() => window.scrollBy(0, 37));
  const readerAt = await page.evaluate(() => window.scrollY);
  expect(readerAt).toBeGreaterThan(100);
  await link.click();
  await expect(page).not.toHaveURL("/");
  await page.goBack();
  await expect(page).toHaveURL("/");
  await expect.poll(() => page.evaluate(() => window.scrollY)).toBeGreaterThan(readerAt - 5);
  expect(await page.evaluate(() => window.scrollY)).toBeLessThan(readerAt + 5);
});

test("text typed with combining marks (NFD) finds what the usual form finds", async ({ page, javaScriptEnabled }) => {
  const composed = "Thành phố Cần Thơ";
  const decomposed = composed.normalize("NFD");
  expect(decomposed).not.toBe(composed);
  const count = async (query: string) => {
    await page.goto("/");
    await hydrated(page, javaScriptEnabled);
    await page.getByRole("searchbox", { name: "Từ khóa tìm kiếm" }).first().fill(query);
    await page.getByRole("button", { name: "Tìm" }).first().click();
    await expect(page.getByRole("status")).toContainText("Tìm thấy");
    return page.locator(".search-results > li").count();
  };
  const usual = await count(composed);
  expect(usual).toBeGreaterThan(1);
  expect(await count(decomposed)).toBe(usual);
});

test("sharing to Zalo and other apps falls back to copying the link", async ({ browser, javaScriptEnabled }) => {
  test.skip(javaScriptEnabled === false, "sharing needs JavaScript");
  const context = await browser.newContext({ permissions: ["clipboard-read", "clipboard-write"] });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on("pageerror", (e) => errors.push(e.message));
  await page.goto(REFERENCE_PATH);
  await hydrated(page, true);
  const hasShare = await page.evaluate(() => "share" in navigator);
  test.skip(hasShare, "this browser has a share sheet, which a test cannot drive");
  await page.getByRole("button", { name: "Zalo, ứng dụng khác…" }).click();
  await expect(page.locator(".share-note")).toHaveText("Đã sao chép liên kết, hãy dán vào Zalo để chia sẻ.");
  expect(await page.evaluate(() => navigator.clipboard.readText())).toMatch(/\/tin-tuc\/can-tho-to-chuc-hoi-nghi/);
  expect(errors).toEqual([]);
  await context.close();
});
