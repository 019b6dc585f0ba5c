import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { Browser, Page } from "@playwright/test";
import { test, expect } from "./fixtures";
import { ADMIN, AUTHOR, E2E_PASSWORD, EDITOR, OTHER_AUTHOR, OTHER_EDITOR } from "./accounts";

// The editors' app is client-rendered: these tests run in the hydrated project.
test.skip(({ javaScriptEnabled }) => javaScriptEnabled === false, "the editors' app needs JavaScript");

const paste = (name: string) => readFileSync(join(__dirname, "..", "fixtures", "paste", name), "utf8");

/** A new browser (its own cookies) signed in as `username`. */
async function signIn(browser: Browser, username: string): Promise<Page> {
  const context = await browser.newContext();
  const page = await context.newPage();
  const errors: string[] = [];
  page.on("pageerror", (e) => errors.push(`${e.message} ${e.stack ?? ""} at ${page.url()}`));
  page.on("console", (m) => m.type() === "error" && !m.text().includes("409") && errors.push(m.text()));
  (page as unknown as { errors: string[] }).errors = errors;
  await page.goto("/dang-nhap");
  await page.getByLabel("Tên đăng nhập").fill(username);
  await page.getByLabel("Mật khẩu").fill(E2E_PASSWORD);
  await page.locator(".login-form").getByRole("button", { name: "Đăng nhập" }).click();
  await expect(page).toHaveURL(/\/quan-tri\/$/);
  await expect(page.getByRole("heading", { name: "Tổng quan" })).toBeVisible();
  return page;
}

/** No console error or page error, but for refusals the test asked for (`allowed` statuses). */
function noErrors(page: Page, ...allowed: number[]) {
  const errors = (page as unknown as { errors: string[] }).errors.filter(
    (e) => !allowed.some((status) => e.includes(`status of ${status} `)),
  );
  expect(errors).toEqual([]);
}

/** Pastes `html` into the rich-text editor as a clipboard would. */
async function pasteHtml(page: Page, html: string) {
  const editor = page.locator(".rich-text");
  await editor.focus();
  await editor.evaluate((element, html) => {
    const data = new DataTransfer();
    data.setData("text/html", html);
    data.setData("text/plain", "");
    element.dispatchEvent(new ClipboardEvent("paste", { clipboardData: data, bubbles: true, cancelable: true }));
  }, html);
}

async function newArticle(page: Page, title: string): Promise<string> {
  await page.getByRole("navigation", { name: "Quản trị" }).getByRole("link", { name: "Viết bài mới" }).click();
  await expect(page).toHaveURL(/\/quan-tri\/bai-viet\/\d+$/);
  await expect(page.locator(".rich-text")).toBeVisible();
  await page.locator("#tieu-de").fill(title);
  return page.url();
}

async function saved(page: Page) {
  await expect(page.locator(".save-state")).toHaveText("Đã lưu", { timeout: 15_000 });
}

test("an article goes from an author's draft, through review and a return, to the public site", async ({ browser }) => {
  test.setTimeout(120_000);
  const title = `Hội nghị thử nghiệm quy trình ${Date.now()}`;
  const author = await signIn(browser, AUTHOR);
  const address = await newArticle(author, title);
  await author.locator("#tom-tat").fill("Tóm tắt bài thử nghiệm.");
  await author.getByText("Ảnh đại diện, từ khóa, hiển thị và mô tả cho máy tìm kiếm").click();
  await author.getByLabel("Từ khóa (cách nhau bằng dấu phẩy)").fill("PAPI, cải cách");
  await author.getByLabel("Mô tả cho máy tìm kiếm (để trống: dùng phần tóm tắt)").fill("Mô tả riêng cho máy tìm kiếm.");
  await author.locator(".rich-text").click();
  await author.keyboard.type("Đoạn mở đầu do tác giả viết.");
  await author.keyboard.press("Enter");
  await pasteHtml(author, paste("word.html"));
  // The structure survives the paste; Word's styling does not.
  const body = author.locator(".rich-text");
  await expect(body.locator(":scope > ol > li")).toHaveCount(2);
  await expect(body.locator("ol ol > li")).toHaveText(["Cấp thành phố", "Cấp quận, huyện"]);
  await expect(body.locator(":scope > ul > li")).toHaveText(["Một cửa liên thông", "Dịch vụ công trực tuyến"]);
  await expect(body.locator("table td, table th")).toHaveCount(4);
  await expect(body.locator("strong").first()).toHaveText("Mục tiêu chính");
  await expect(body.locator("h2")).toHaveText("Kế hoạch triển khai");
  expect(await body.innerHTML()).not.toMatch(/mso-|MsoNormal|<o:p|<!--/);
  await saved(author);
  await author.getByRole("button", { name: "Gửi duyệt" }).click();
  await expect(author.locator(".article-status")).toHaveText("Chờ duyệt");

  // The editor finds it waiting and returns it with a reason.
  const editor = await signIn(browser, EDITOR);
  const waiting = editor.getByRole("region", { name: /Chờ duyệt/ });
  await waiting.getByRole("link", { name: title }).click();
  await editor.locator("#ly-do").fill("Bổ sung số liệu năm 2017.");
  await editor.getByRole("button", { name: "Trả lại" }).click();
  await expect(editor.locator(".article-status")).toHaveText("Trả lại");

  // The author sees the reason, fixes the text and submits again.
  await author.goto(address);
  await expect(author.locator(".history")).toContainText("Bổ sung số liệu năm 2017.");
  await author.locator(".rich-text").click();
  await author.keyboard.press("Control+End");
  await author.keyboard.type(" Số liệu năm 2017 đã được bổ sung.");
  await saved(author);
  await author.getByRole("button", { name: "Gửi duyệt" }).click();
  await expect(author.locator(".article-status")).toHaveText("Chờ duyệt");
  await expect(author.getByRole("button", { name: "Xuất bản", exact: true })).toHaveCount(0);

  await editor.goto(address);
  await editor.getByRole("button", { name: "Xuất bản", exact: true }).click();
  await expect(editor.locator(".article-status")).toHaveText("Đã xuất bản");
  noErrors(author);
  noErrors(editor);

  // A reader, signed out, finds it everywhere.
  const reader = await (await browser.newContext()).newPage();
  await reader.goto("/");
  await expect(reader.locator(".latest").getByRole("link", { name: title })).toBeVisible();
  await reader.locator(".latest").getByRole("link", { name: title }).click();
  await expect(reader.getByRole("heading", { level: 1 })).toHaveText(title);
  // Its address followed the title, not the "Bài viết mới" it started as.
  expect(new URL(reader.url()).pathname).toMatch(/^\/tin-tuc\/hoi-nghi-thu-nghiem-quy-trinh-\d+$/);
  await expect(reader.locator(".article-body ol ol li")).toHaveCount(2);
  await expect(reader.locator(".article-body table")).toBeVisible();
  await expect(reader.locator(".article-tags")).toHaveText("Từ khóa: PAPI, cải cách");
  await expect(reader.locator('meta[name="description"]')).toHaveAttribute("content", "Mô tả riêng cho máy tìm kiếm.");
  expect(await reader.locator(".article-body").innerHTML()).not.toMatch(/mso-|class=|style=/);
  const category = await reader.locator(".breadcrumbs a").nth(1).getAttribute("href");
  await reader.goto(category!);
  await expect(reader.locator("#noi-dung").getByRole("link", { name: title })).toBeVisible();
  await reader.goto(`/tim-kiem?q=${encodeURIComponent("hoi nghi thu nghiem quy trinh")}`);
  await expect(reader.locator(".search-results").getByRole("link", { name: title })).toBeVisible();
  const feed = await reader.request.get("/rss.xml");
  expect(await feed.text()).toContain(title);
});

test("Google Docs pastes keep bold, italic and nested lists", async ({ browser }) => {
  const page = await signIn(browser, AUTHOR);
  await newArticle(page, "Bài dán từ Google Docs");
  await pasteHtml(page, paste("google-docs.html"));
  const body = page.locator(".rich-text");
  await expect(body.locator("strong")).toHaveText("Kết quả");
  await expect(body.locator("em")).toContainText("đạt yêu cầu");
  await expect(body.locator("ul ul li")).toHaveText("Trực tuyến");
  expect(await body.innerHTML()).not.toMatch(/docs-internal-guid|font-family/);
  await saved(page);
  noErrors(page);
});

test("LibreOffice pastes keep headings, nested numbered lists, tables and bold", async ({ browser }) => {
  const page = await signIn(browser, AUTHOR);
  await newArticle(page, "Bài dán từ LibreOffice");
  await pasteHtml(page, paste("libreoffice.html"));
  const body = page.locator(".rich-text");
  await expect(body.locator("h2")).toHaveText("Thông báo");
  await expect(body.locator("strong")).toHaveText("Lịch tiếp công dân");
  await expect(body.locator("ol ol li")).toHaveText("Buổi sáng");
  await expect(body.locator("table td, table th")).toHaveCount(2);
  expect(await body.innerHTML()).not.toMatch(/Liberation|font-family|<font/);
  await saved(page);
  noErrors(page);
});

test("two people saving one article: the second gets the conflict view and nothing is lost", async ({ browser }) => {
  test.setTimeout(90_000);
  const editorA = await signIn(browser, EDITOR);
  const address = await newArticle(editorA, "Bài hai người cùng sửa");
  await saved(editorA);
  const editorB = await signIn(browser, OTHER_EDITOR);
  await editorB.goto(address);
  await expect(editorB.locator(".rich-text")).toBeVisible();

  await editorA.locator(".rich-text").click();
  await editorA.keyboard.type("Câu của người thứ nhất.");
  await editorA.getByRole("button", { name: "Lưu", exact: true }).click();
  await saved(editorA);

  await editorB.locator(".rich-text").click();
  await editorB.keyboard.type("Câu của người thứ hai.");
  await editorB.getByRole("button", { name: "Lưu", exact: true }).click();
  const conflict = editorB.getByRole("alert").filter({ hasText: "Bài viết vừa được người khác lưu" });
  await expect(conflict).toBeVisible();
  // Word by word: the shared words once, then what differs.
  await expect(conflict.locator(".diff")).toContainText("Câu của người thứ");
  await expect(conflict.locator("del")).toHaveText("nhất.");
  await expect(conflict.locator("ins")).toHaveText("hai.");
  await conflict.getByRole("button", { name: "Gộp cả hai để sửa tay" }).click();
  await saved(editorB);
  await editorA.reload();
  await expect(editorA.locator(".rich-text")).toContainText("Câu của người thứ nhất.");
  await expect(editorA.locator(".rich-text")).toContainText("Câu của người thứ hai.");
  // Each sees that the other has it open.
  await expect(editorA.locator(".lock-note")).toContainText("Biên tập viên Hai đang sửa bài này", { timeout: 40_000 });
});

test("revisions: any two compared word by word, and an old one restored", async ({ browser }) => {
  const page = await signIn(browser, AUTHOR);
  await newArticle(page, "Bài có nhiều phiên bản");
  await page.locator(".rich-text").click();
  await page.keyboard.type("Phiên bản đầu tiên của đoạn văn.");
  await page.getByRole("button", { name: "Lưu", exact: true }).click();
  await saved(page);
  await page.locator(".rich-text").click();
  await page.keyboard.press("Control+A");
  await page.keyboard.type("Phiên bản thứ hai của đoạn văn.");
  await page.getByRole("button", { name: "Lưu", exact: true }).click();
  await saved(page);
  // The list follows the saves without a reload.
  const revisions = page.getByRole("region", { name: "Các phiên bản" });
  await revisions.getByRole("button", { name: "So với bản trước" }).first().click();
  await expect(revisions.locator(".diff del")).toHaveText("đầu tiên");
  await expect(revisions.locator(".diff ins")).toHaveText("thứ hai");
  // Restoring the first text makes it current again, as a new revision.
  await revisions.getByRole("button", { name: "Khôi phục" }).nth(1).click();
  await expect(page.locator(".rich-text")).toContainText("Phiên bản đầu tiên của đoạn văn.");
  noErrors(page);
});

test("work survives going offline and a reload", async ({ browser }) => {
  test.setTimeout(90_000);
  const page = await signIn(browser, AUTHOR);
  const address = await newArticle(page, "Bài viết khi mất mạng");
  await saved(page);
  await page.context().setOffline(true);
  await page.locator(".rich-text").click();
  await page.keyboard.type("Viết trong lúc mất kết nối.");
  await expect(page.locator(".save-state")).toContainText("Mất kết nối", { timeout: 15_000 });
  await page.context().setOffline(false);
  await saved(page);

  // Typed, then the tab reloads before the autosave: the text comes back.
  await page.locator(".rich-text").click();
  await page.keyboard.press("Control+End");
  await page.keyboard.type(" Câu chưa kịp lưu.");
  await page.goto(address);
  await expect(page.locator(".rich-text")).toBeVisible();
  const offer = page.getByRole("button", { name: "Khôi phục nội dung chưa lưu" });
  if (await offer.isVisible()) await offer.click();
  await expect(page.locator(".rich-text")).toContainText("Câu chưa kịp lưu.");
  await saved(page);
  await page.reload();
  await expect(page.locator(".rich-text")).toContainText("Viết trong lúc mất kết nối. Câu chưa kịp lưu.");
});

test("an author cannot publish, nor open another author's draft", async ({ browser }) => {
  const author = await signIn(browser, AUTHOR);
  const address = await newArticle(author, "Bài riêng của tác giả");
  await saved(author);
  await expect(author.getByRole("button", { name: "Xuất bản", exact: true })).toHaveCount(0);
  // Once submitted, the author can read it but not change it.
  await author.getByRole("button", { name: "Gửi duyệt" }).click();
  await expect(author.getByRole("note").filter({ hasText: "bạn chỉ xem được" })).toBeVisible();
  await expect(author.locator("#tieu-de")).toBeDisabled();
  await expect(author.getByRole("button", { name: "Lưu", exact: true })).toHaveCount(0);
  await expect(author.locator(".rich-text")).toHaveAttribute("contenteditable", "false");
  const other = await signIn(browser, OTHER_AUTHOR);
  await other.goto(address);
  await expect(other.getByRole("heading", { name: "Không tìm thấy bài viết" })).toBeVisible();
});

test("an empty draft can be deleted by its author", async ({ browser }) => {
  const page = await signIn(browser, AUTHOR);
  const title = `Bản nháp bỏ đi ${Date.now()}`;
  await newArticle(page, title);
  await saved(page);
  page.once("dialog", (dialog) => dialog.accept());
  await page.getByRole("button", { name: "Xóa bản nháp" }).click();
  await expect(page).toHaveURL(/\/quan-tri\/$/);
  await expect(page.getByRole("heading", { name: "Tổng quan" })).toBeVisible();
  await expect(page.getByRole("link", { name: title })).toHaveCount(0);
});

test("an article can be written and submitted with the keyboard alone", async ({ browser }) => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto("/dang-nhap");
  await page.getByLabel("Tên đăng nhập").focus();
  await page.keyboard.type(AUTHOR);
  await page.keyboard.press("Tab");
  await page.keyboard.type(E2E_PASSWORD);
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(/\/quan-tri\/$/);
  await page.getByRole("link", { name: "Viết bài mới" }).first().focus();
  await page.keyboard.press("Enter");
  await expect(page.locator("#tieu-de")).toBeVisible();
  await page.locator("#tieu-de").focus();
  await page.keyboard.press("Control+A");
  await page.keyboard.type("Bài viết bằng bàn phím");
  // Tab through the fields and the toolbar to the text.
  for (let i = 0; i < 40 && !(await page.evaluate(() => document.activeElement?.classList.contains("rich-text"))); i++) {
    await page.keyboard.press("Tab");
  }
  await page.keyboard.type("Nội dung gõ bằng bàn phím.");
  for (let i = 0; i < 10 && (await page.evaluate(() => document.activeElement?.textContent)) !== "Gửi duyệt"; i++) {
    await page.keyboard.press("Tab");
  }
  await expect(page.getByRole("button", { name: "Gửi duyệt" })).toBeFocused();
  await saved(page);
  await page.keyboard.press("Enter");
  await expect(page.locator(".article-status")).toHaveText("Chờ duyệt");
});

/** Tomorrow's date in Vietnam, as `YYYY-MM-DD` and as `DD/MM/YYYY`. */
function tomorrowInVietnam(): [string, string] {
  const t = new Date(Date.now() + 7 * 3600_000 + 24 * 3600_000);
  const [y, m, d] = [t.getUTCFullYear(), String(t.getUTCMonth() + 1).padStart(2, "0"), String(t.getUTCDate()).padStart(2, "0")];
  return [`${y}-${m}-${d}`, `${d}/${m}/${y}`];
}

test("an editor schedules an article for 08:00 tomorrow; it waits in the dashboard, not on the site", async ({ browser }) => {
  const title = `Thông báo hẹn giờ ${Date.now()}`;
  const editor = await signIn(browser, EDITOR);
  await newArticle(editor, title);
  await editor.locator(".rich-text").click();
  await editor.keyboard.type("Nội dung sẽ xuất bản sáng mai.");
  await saved(editor);
  const [iso, shown] = tomorrowInVietnam();
  await editor.getByLabel("Xuất bản lúc (giờ Việt Nam)").fill(`${iso}T08:00`);
  await editor.getByRole("button", { name: "Lên lịch xuất bản" }).click();
  await expect(editor.locator(".article-status")).toHaveText("Đã lên lịch");
  await expect(editor.locator(".schedule-note").first()).toContainText(`08:00 - ${shown}`);
  await expect(editor.locator(".history")).toContainText("Đã lên lịch");
  // A time already past is refused with a clear message.
  await editor.getByLabel("Xuất bản lúc (giờ Việt Nam)").fill("2020-01-01T08:00");
  await editor.getByRole("button", { name: "Đổi giờ xuất bản" }).click();
  await expect(editor.locator(".message")).toContainText("Thời điểm xuất bản đã qua");
  await expect(editor.locator(".article-status")).toHaveText("Đã lên lịch");

  await editor.getByRole("navigation", { name: "Quản trị" }).getByRole("link", { name: "Tổng quan" }).click();
  const block = editor.locator("section", { has: editor.getByRole("heading", { name: /Lịch xuất bản/ }) });
  const row = block.getByRole("row", { name: new RegExp(title) });
  await expect(row).toContainText(`xuất bản lúc 08:00 - ${shown}`);

  const reader = await (await browser.newContext()).newPage();
  await reader.goto("/");
  await expect(reader.getByRole("link", { name: title })).toHaveCount(0);
  expect(await (await reader.request.get("/rss.xml")).text()).not.toContain(title);

  await row.getByRole("link", { name: title }).click();
  await editor.getByRole("button", { name: "Hủy lịch" }).click();
  await expect(editor.locator(".article-status")).toHaveText("Chờ duyệt");
  noErrors(editor, 422);
});

test("an admin invites a user, who sets a password and signs in; deactivated, their open session ends", async ({ browser }) => {
  test.setTimeout(90_000);
  const admin = await signIn(browser, ADMIN);
  await admin.getByRole("navigation", { name: "Quản trị" }).getByRole("link", { name: "Người dùng" }).click();
  await expect(admin.getByRole("heading", { name: "Người dùng", level: 1 })).toBeVisible();
  const username = `btv${Date.now() % 1_000_000}`;
  await admin.locator("#moi-ten-dang-nhap").fill(username);
  await admin.locator("#moi-ho-ten").fill("Lê Văn Được Mời");
  await admin.locator("#moi-vai-tro").selectOption({ label: "Biên tập viên" });
  await admin.getByRole("button", { name: "Tạo liên kết mời" }).click();
  const link = await admin.getByLabel("Liên kết đặt mật khẩu").inputValue();
  expect(link).toMatch(/\/dat-mat-khau\?ma=[0-9a-f]{64}$/);
  await expect(admin.getByRole("row", { name: /Lê Văn Được Mời/ })).toContainText("Chưa đặt mật khẩu");

  const invited = await (await browser.newContext()).newPage();
  await invited.goto(new URL(link).pathname + new URL(link).search);
  await expect(invited.getByText(`Lê Văn Được Mời (${username})`)).toBeVisible();
  await invited.getByLabel("Mật khẩu mới (ít nhất 10 ký tự)").fill("mật khẩu của người mới");
  await invited.getByLabel("Nhập lại mật khẩu").fill("mật khẩu của người mới");
  await invited.getByRole("button", { name: "Đặt mật khẩu" }).click();
  await expect(invited.locator(".login .notice")).toHaveText("Đã đặt mật khẩu. Xin mời đăng nhập.");
  await expect(invited.getByLabel("Tên đăng nhập")).toHaveValue(username);
  await invited.getByLabel("Mật khẩu").fill("mật khẩu của người mới");
  await invited.locator(".login-form").getByRole("button", { name: "Đăng nhập" }).click();
  await expect(invited.getByRole("heading", { name: "Tổng quan" })).toBeVisible();

  await admin.reload();
  const row = admin.getByRole("row", { name: /Lê Văn Được Mời/ });
  await expect(row).toContainText("Đang hoạt động");
  await row.getByRole("button", { name: "Khóa" }).click();
  await expect(admin.locator(".message")).toContainText("Đã khóa tài khoản");
  await expect(row).toContainText("Đã khóa");
  // The open session is refused at its next request.
  await invited.reload();
  await expect(invited).toHaveURL(/\/dang-nhap/);
  await expect(invited.getByRole("heading", { name: "Đăng nhập quản trị" })).toBeVisible();

  await admin.getByRole("navigation", { name: "Quản trị" }).getByRole("link", { name: "Nhật ký" }).click();
  const log = admin.locator(".audit-table");
  await expect(log.getByRole("row", { name: /Khóa tài khoản/ })).toContainText(username);
  await expect(log.getByRole("row", { name: /Mời người dùng/ })).toContainText("Biên tập viên");
  noErrors(admin);
});

/** A JPEG drawn by the browser: `width` × `height`, a gradient. */
async function jpeg(page: Page, width: number, height: number): Promise<Buffer> {
  const data = await page.evaluate(
    ([w, h]) => {
      const canvas = document.createElement("canvas");
      canvas.width = w;
      canvas.height = h;
      const g = canvas.getContext("2d")!;
      const gradient = g.createLinearGradient(0, 0, w, h);
      gradient.addColorStop(0, "#1a4f8b");
      gradient.addColorStop(1, "#f4c542");
      g.fillStyle = gradient;
      g.fillRect(0, 0, w, h);
      return canvas.toDataURL("image/jpeg", 0.9).split(",")[1];
    },
    [width, height],
  );
  return Buffer.from(data, "base64");
}

test("an editor uploads two photos, inserts one only with its text, publishes, and readers get srcset", async ({ browser }) => {
  test.setTimeout(120_000);
  const title = `Bài có ảnh từ thư viện ${Date.now()}`;
  const editor = await signIn(browser, EDITOR);
  const address = await newArticle(editor, title);
  await editor.locator(".rich-text").click();
  await editor.keyboard.type("Hình ảnh hội nghị ở dưới.");
  await editor.getByRole("button", { name: "Chèn ảnh" }).click();
  const dialog = editor.getByRole("dialog", { name: "Chèn ảnh từ thư viện" });
  await expect(dialog).toBeVisible();
  const stamp = Date.now();
  // A slow uplink (64 KB/s), so the progress bars are there to see.
  const cdp = await editor.context().newCDPSession(editor);
  await cdp.send("Network.enable");
  await cdp.send("Network.emulateNetworkConditions", {
    offline: false,
    latency: 20,
    downloadThroughput: -1,
    uploadThroughput: 64 * 1024,
  });
  await dialog.locator('input[type="file"]').setInputFiles([
    { name: `hoi-nghi-${stamp}.jpg`, mimeType: "image/jpeg", buffer: await jpeg(editor, 1200, 800) },
    { name: `toan-canh-${stamp}.jpg`, mimeType: "image/jpeg", buffer: await jpeg(editor, 640, 480) },
  ]);
  const uploads = dialog.locator(".upload");
  await expect(uploads).toHaveCount(2);
  await expect(uploads.first().locator("progress")).toBeVisible();
  await expect(uploads.filter({ hasText: "Đã tải lên" })).toHaveCount(2, { timeout: 60_000 });
  // A third, cancelled on its way: it never reaches the library.
  await dialog.locator('input[type="file"]').setInputFiles([
    { name: `huy-${stamp}.jpg`, mimeType: "image/jpeg", buffer: await jpeg(editor, 2400, 1800) },
  ]);
  const cancelled = uploads.filter({ hasText: `huy-${stamp}.jpg` });
  await cancelled.getByRole("button", { name: "Hủy" }).click();
  await expect(cancelled).toContainText("Đã hủy");
  await cdp.send("Network.emulateNetworkConditions", { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: -1 });
  // The last photo taken is offered for insertion; without its text it cannot go in.
  const insert = dialog.getByRole("button", { name: "Chèn ảnh vào bài" });
  await expect(insert).toBeDisabled();
  await dialog.getByRole("button", { name: "Chọn ảnh khác" }).click();
  await dialog.getByRole("button", { name: `Chọn ảnh hoi-nghi-${stamp}.jpg` }).click();
  await expect(insert).toBeDisabled();
  await dialog.getByLabel("Mô tả ảnh (bắt buộc, dành cho người khiếm thị)").fill("Toàn cảnh hội nghị cải cách hành chính");
  await dialog.getByLabel("Chú thích (không bắt buộc)").fill("Ảnh: Văn phòng");
  await insert.click();
  await expect(dialog).toBeHidden();
  // Typing goes on below the picture, not into its caption.
  await editor.keyboard.type("Đoạn sau ảnh.");
  await expect(editor.locator(".rich-text figure + p")).toHaveText("Đoạn sau ảnh.");
  await expect(editor.locator(".rich-text figcaption")).toHaveText("Ảnh: Văn phòng");
  const figure = editor.locator(".rich-text figure img");
  await expect(figure).toHaveAttribute("alt", "Toàn cảnh hội nghị cải cách hành chính");
  await expect(figure).toHaveAttribute("width", "960");
  await saved(editor);
  await editor.getByRole("button", { name: "Xuất bản", exact: true }).click();
  await expect(editor.locator(".article-status")).toHaveText("Đã xuất bản");
  noErrors(editor);

  const reader = await (await browser.newContext()).newPage();
  await reader.goto("/");
  await reader.locator(".latest").getByRole("link", { name: title }).click();
  const picture = reader.locator(".article-body picture");
  await expect(picture.locator('source[type="image/webp"]')).toHaveAttribute("srcset", /480\.webp 480w, .*960\.webp 960w, .*1200\.webp 1200w$/);
  const img = picture.locator("img");
  await expect(img).toHaveAttribute("alt", "Toàn cảnh hội nghị cải cách hành chính");
  await expect(img).toHaveAttribute("width", "960");
  await expect(img).toHaveAttribute("height", "640");
  await expect(img).toHaveAttribute("sizes", /100vw/);
  expect(await img.evaluate((i: HTMLImageElement) => i.naturalWidth)).toBeGreaterThan(0);
  await expect(reader.locator(".article-body figcaption")).toHaveText("Ảnh: Văn phòng");

  // The library knows both, and will not delete the one the article shows.
  await editor.goto("/quan-tri/anh");
  const search = editor.getByLabel("Tìm ảnh (gõ rồi bấm Enter)");
  await search.fill(`hoi-nghi-${stamp}`);
  await search.press("Enter");
  const card = editor.locator(".media-card").filter({ hasText: `hoi-nghi-${stamp}.jpg` });
  await expect(card).toHaveCount(1);
  await search.fill(`huy-${stamp}`);
  await search.press("Enter");
  await expect(editor.getByText("Không tìm thấy ảnh nào phù hợp.")).toBeVisible();
  await search.fill(`hoi-nghi-${stamp}`);
  await search.press("Enter");
  await expect(card).toHaveCount(1);
  editor.once("dialog", (d) => d.accept());
  await card.getByRole("button", { name: "Xóa" }).click();
  await expect(card.getByRole("alert")).toContainText(title);
  expect(address).toMatch(/bai-viet\/\d+$/);
});

test("an admin's settings change the footer and the banner on the public pages at once", async ({ browser }) => {
  const admin = await signIn(browser, ADMIN);
  await admin.getByRole("navigation", { name: "Quản trị" }).getByRole("link", { name: "Cấu hình" }).click();
  const address = admin.getByLabel("Địa chỉ", { exact: true });
  await expect(address).not.toHaveValue("");
  const oldAddress = await address.inputValue();
  const bannerText = admin.getByLabel("Mô tả ảnh banner (bắt buộc, dành cho người khiếm thị)");
  const oldBanner = await bannerText.inputValue();
  const reader = await (await browser.newContext()).newPage();
  await reader.goto("/");
  await expect(reader.locator(".site-footer")).toContainText(oldAddress);

  await address.fill("Số 2 Đường Thử Nghiệm, phường Tân An, thành phố Cần Thơ");
  await bannerText.fill("Banner thử nghiệm của Văn phòng cải cách hành chính");
  await admin.getByRole("button", { name: "Lưu cấu hình" }).click();
  await expect(admin.locator(".message")).toContainText("Đã lưu");
  await reader.reload();
  await expect(reader.locator(".site-footer")).toContainText("Số 2 Đường Thử Nghiệm, phường Tân An");
  await expect(reader.locator(".banner img")).toHaveAttribute("alt", "Banner thử nghiệm của Văn phòng cải cách hành chính");

  // A mistake is named and nothing changes.
  await admin.getByLabel("Email", { exact: true }).fill("khong-phai-email");
  await admin.getByRole("button", { name: "Lưu cấu hình" }).click();
  await expect(admin.locator(".form-error")).toContainText("email");
  await admin.reload();
  await expect(admin.getByLabel("Email", { exact: true })).not.toHaveValue("khong-phai-email");

  // Put the office's own details back.
  await admin.getByLabel("Địa chỉ", { exact: true }).fill(oldAddress);
  await admin.getByLabel("Mô tả ảnh banner (bắt buộc, dành cho người khiếm thị)").fill(oldBanner);
  await admin.getByRole("button", { name: "Lưu cấu hình" }).click();
  await expect(admin.locator(".message")).toContainText("Đã lưu");
  noErrors(admin, 422);
});
