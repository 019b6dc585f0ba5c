import { readFile } from "node:fs/promises";
import { test, expect, hydrated } from "./fixtures";
import { E2E_PASSWORD, EDITOR } from "./accounts";

// The demo library (server/src/documents/seed.rs): six documents, among them
// Quyết định 1234/QĐ-UBND of 05/03/2026 with two PDF files.
const DECISION = "Quyết định 1234/QĐ-UBND";

test("the documents library lists, filters and sorts without losing the choices", async ({ page, javaScriptEnabled }) => {
  const response = await page.goto("/");
  expect(response?.status()).toBe(200);
  await hydrated(page, javaScriptEnabled);
  await page.getByRole("navigation", { name: "Điều hướng chính" }).getByRole("link", { name: "Văn bản", exact: true }).click();
  await expect(page).toHaveURL("/van-ban");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Văn bản");
  // (An editors' test may add a document meanwhile.)
  await expect(page.getByRole("status")).toHaveText(/^Có \d+ văn bản\.$/);
  const titles = page.locator(".document-title a");

  await page.getByLabel("Hình thức").selectOption("Kế hoạch");
  await page.getByRole("button", { name: "Lọc văn bản" }).click();
  await expect(page).toHaveURL(/loai=/);
  await expect(page.getByRole("status")).toHaveText("Tìm thấy 2 văn bản.");
  await expect(titles).toHaveText(["Kế hoạch 289/KH-UBND", "Kế hoạch 210/KH-UBND"]);
  // The replaced plan says so.
  await expect(page.locator(".document-item").last().locator(".validity")).toHaveText("Đã bị thay thế");
  // The choice survives the page load, and the order can be reversed.
  await expect(page.getByLabel("Hình thức")).toHaveValue("Kế hoạch");
  await page.getByLabel("Sắp xếp").selectOption({ label: "Ngày ban hành, cũ nhất trước" });
  await page.getByRole("button", { name: "Lọc văn bản" }).click();
  await expect(titles).toHaveText(["Kế hoạch 210/KH-UBND", "Kế hoạch 289/KH-UBND"]);

  await page.getByLabel("Năm ban hành").selectOption("2025");
  await page.getByRole("button", { name: "Lọc văn bản" }).click();
  await expect(page.getByRole("status")).toHaveText("Tìm thấy 1 văn bản.");
  await expect(titles).toHaveText(["Kế hoạch 289/KH-UBND"]);
  await page.getByRole("link", { name: "Bỏ lọc" }).click();
  await expect(page).toHaveURL("/van-ban");
  await expect(page.getByRole("status")).toHaveText(/^Có \d+ văn bản\.$/);

  await page.getByLabel("Cơ quan ban hành").selectOption("Sở Nội vụ thành phố Cần Thơ");
  await page.getByRole("button", { name: "Lọc văn bản" }).click();
  await expect(titles).toHaveText(["Thông báo 78/TB-SNV", "Công văn 456/SNV-CCHC"]);
});

for (const spelling of ["1234", "qd-ubnd 1234", "QĐ 1234"]) {
  test(`a document is found by its number typed as “${spelling}”`, async ({ page, javaScriptEnabled }) => {
    await page.goto("/van-ban");
    await hydrated(page, javaScriptEnabled);
    await page.getByLabel("Số/ký hiệu hoặc trích yếu").fill(spelling);
    await page.getByRole("button", { name: "Lọc văn bản" }).click();
    await expect(page.getByRole("status")).toHaveText("Tìm thấy 1 văn bản.");
    await expect(page.locator(".document-title a")).toHaveText([DECISION]);
  });
}

test("words without diacritics find a document's summary; nothing found says so", async ({ page, javaScriptEnabled }) => {
  await page.goto("/van-ban?q=khao+sat+su+hai+long");
  await hydrated(page, javaScriptEnabled);
  await expect(page.locator(".document-title a")).toHaveText(["Công văn 456/SNV-CCHC"]);
  await page.goto("/van-ban?q=khongcovanbannay");
  await hydrated(page, javaScriptEnabled);
  await expect(page.getByRole("status")).toContainText("Không có văn bản nào");
  await expect(page.getByLabel("Số/ký hiệu hoặc trích yếu")).toHaveValue("khongcovanbannay");
});

test("a document's page gives its details, and its file downloads with its Vietnamese name", async ({ page, javaScriptEnabled }) => {
  await page.goto("/van-ban?q=1234");
  await hydrated(page, javaScriptEnabled);
  await page.getByRole("link", { name: DECISION }).click();
  await expect(page).toHaveURL("/van-ban/1234-qd-ubnd-2026");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(DECISION);
  await expect(page).toHaveTitle(new RegExp(`^${DECISION}`));
  const field = (name: string) => page.locator(".document-field").filter({ has: page.locator("dt", { hasText: name }) }).locator("dd");
  await expect(field("Số/ký hiệu")).toHaveText("1234/QĐ-UBND");
  await expect(field("Cơ quan ban hành")).toHaveText("Ủy ban nhân dân thành phố Cần Thơ");
  await expect(field("Ngày ban hành")).toHaveText("05/03/2026");
  await expect(field("Tình trạng")).toHaveText("Còn hiệu lực");
  await expect(page.locator(".document-files li")).toHaveCount(2);

  const link = page.getByRole("link", { name: "Quyết định 1234-QĐ-UBND.pdf" });
  const href = await link.getAttribute("href");
  expect(href).toMatch(/^\/van-ban\/tep\/\d+\//);
  const download = page.waitForEvent("download");
  await link.click();
  const file = await download;
  expect(file.suggestedFilename()).toBe("Quyết định 1234-QĐ-UBND.pdf");
  const bytes = await readFile(await file.path());
  expect(bytes.subarray(0, 5).toString("latin1")).toBe("%PDF-");
  expect(bytes.subarray(-6).toString("latin1")).toBe("%%EOF\n");

  // The same file over HTTP: its type, its name for every client, no sniffing.
  const response = await page.request.get(href!);
  expect(response.status()).toBe(200);
  expect(response.headers()["content-type"]).toBe("application/pdf");
  expect(response.headers()["x-content-type-options"]).toBe("nosniff");
  expect(response.headers()["content-disposition"]).toBe(
    "attachment; filename=\"Quyet dinh 1234-QD-UBND.pdf\"; filename*=UTF-8''Quy%E1%BA%BFt%20%C4%91%E1%BB%8Bnh%201234-Q%C4%90-UBND.pdf",
  );
  expect(Buffer.compare(await response.body(), bytes)).toBe(0);
});

test("the documents feed lists the newest documents", async ({ request }) => {
  const response = await request.get("/van-ban/rss.xml");
  expect(response.status()).toBe(200);
  expect(response.headers()["content-type"]).toContain("application/rss+xml");
  const xml = await response.text();
  expect(xml).toContain("<title>Thông báo 78/TB-SNV</title>");
  expect(xml).toContain("/van-ban/1234-qd-ubnd-2026</link>");
});

test("an editor enters a document, attaches its file and publishes it", async ({ browser, javaScriptEnabled }) => {
  test.skip(javaScriptEnabled === false, "the editors' app needs JavaScript");
  const editor = await (await browser.newContext()).newPage();
  await editor.goto("/dang-nhap");
  await editor.getByLabel("Tên đăng nhập").fill(EDITOR);
  await editor.getByLabel("Mật khẩu").fill(E2E_PASSWORD);
  await editor.locator(".login-form").getByRole("button", { name: "Đăng nhập" }).click();
  await expect(editor).toHaveURL(/\/quan-tri\/$/);
  await editor.getByRole("navigation", { name: "Quản trị" }).getByRole("link", { name: "Văn bản", exact: true }).click();
  await editor.getByRole("button", { name: "Thêm văn bản" }).click();

  const number = `${Date.now() % 100000}/TB-UBND`;
  await editor.getByLabel(/^Số\/ký hiệu/).fill(number);
  await editor.getByLabel(/^Hình thức/).selectOption("Thông báo");
  await editor.getByLabel(/^Cơ quan ban hành/).fill("Ủy ban nhân dân quận Ninh Kiều");
  await editor.getByLabel(/^Trích yếu/).fill("Thông báo lịch tiếp công dân định kỳ tháng 12 năm 2026");
  // A mistake is named beside its field; nothing typed is lost.
  await editor.getByLabel(/^Ngày ban hành/).fill("2026-12-01");
  await editor.getByLabel(/^Ngày hết hiệu lực/).fill("2026-11-01");
  await editor.getByRole("button", { name: "Lưu", exact: true }).click();
  await expect(editor.locator("#vb-expires-on-loi")).toContainText("sau ngày hiệu lực");
  await expect(editor.getByLabel(/^Trích yếu/)).toHaveValue("Thông báo lịch tiếp công dân định kỳ tháng 12 năm 2026");
  await editor.getByLabel(/^Ngày hết hiệu lực/).fill("");
  await editor.getByRole("button", { name: "Lưu", exact: true }).click();
  await expect(editor.getByText("Đã lưu.")).toBeVisible();

  // Publishing needs a file.
  await editor.getByRole("button", { name: "Công bố", exact: true }).click();
  await expect(editor.getByRole("alert").filter({ hasText: "ít nhất một tệp" }).first()).toBeVisible();
  const pdf = "%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n";
  await editor.locator("input[type=file]").setInputFiles({
    name: "Thông báo lịch tiếp công dân.pdf",
    mimeType: "application/pdf",
    buffer: Buffer.from(pdf),
  });
  await expect(editor.getByRole("link", { name: "Thông báo lịch tiếp công dân.pdf" })).toBeVisible();
  await editor.getByRole("button", { name: "Công bố", exact: true }).click();
  await expect(editor.getByText("Đã công bố. Người đọc đã xem được văn bản này.")).toBeVisible();

  // Readers find it by its number and download the file by its name.
  const reader = await (await browser.newContext()).newPage();
  await reader.goto(`/van-ban?q=${encodeURIComponent(number)}`);
  await reader.getByRole("link", { name: `Thông báo ${number}` }).click();
  await expect(reader.getByRole("heading", { level: 1 })).toHaveText(`Thông báo ${number}`);
  const download = reader.waitForEvent("download");
  await reader.getByRole("link", { name: "Thông báo lịch tiếp công dân.pdf" }).click();
  expect((await download).suggestedFilename()).toBe("Thông báo lịch tiếp công dân.pdf");
  expect((await readFile(await (await download).path())).toString("latin1")).toBe(pdf);
});
