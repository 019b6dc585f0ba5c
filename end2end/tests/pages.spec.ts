import type { Browser, Page } from "@playwright/test";
import { test, expect, hydrated } from "./fixtures";
import { ADMIN, E2E_PASSWORD } from "./accounts";

// The fixed pages (server/src/pages/seed.rs): "Giới thiệu" at /gioi-thieu
// and the English page at /en. The editing test below changes the about
// page's title for a moment, so the other tests accept either title.
const ABOUT_TITLE = /^Giới thiệu/;

test("the header's English link opens the English page, and “Tiếng Việt” comes back", async ({ page, javaScriptEnabled }) => {
  await page.goto("/");
  await hydrated(page, javaScriptEnabled);
  await expect(page.locator("html")).toHaveAttribute("lang", "vi");
  const english = page.locator(".site-header").getByRole("link", { name: "English" });
  await expect(english).toHaveAttribute("lang", "en");
  await expect(english).toHaveAttribute("hreflang", "en");
  await english.click();
  await expect(page).toHaveURL("/en");
  await hydrated(page, javaScriptEnabled);
  await expect(page.locator("html")).toHaveAttribute("lang", "en");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Administrative Reform of Can Tho City");
  await expect(page.getByRole("heading", { name: "Functions" })).toBeVisible();
  await expect(page.getByRole("heading", { name: "Tasks" })).toBeVisible();
  await expect(page.getByRole("heading", { name: "Contacts" })).toBeVisible();
  await expect(page.locator(".page-body")).toContainText("+84 292 3820715");
  await expect(page.getByRole("navigation", { name: "You are here" })).toContainText("Home");
  // The frame around it stays Vietnamese, and says so.
  await expect(page.locator(".site-header")).toHaveAttribute("lang", "vi");
  await expect(page.locator(".site-footer")).toHaveAttribute("lang", "vi");

  const back = page.locator(".site-header").getByRole("link", { name: "Tiếng Việt" });
  await expect(back).toHaveAttribute("hreflang", "vi");
  await back.click();
  await expect(page).toHaveURL("/gioi-thieu");
  await hydrated(page, javaScriptEnabled);
  await expect(page.locator("html")).toHaveAttribute("lang", "vi");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(ABOUT_TITLE);
  await expect(page.locator(".site-header").getByRole("link", { name: "English" })).toBeVisible();
});

test("the about page, from the menu, shows the organisation chart and the contacts", async ({ page, javaScriptEnabled }) => {
  await page.goto("/");
  await hydrated(page, javaScriptEnabled);
  const nav = page.getByRole("navigation", { name: "Điều hướng chính" });
  await nav.getByRole("link", { name: "Giới thiệu" }).click();
  await expect(page).toHaveURL("/gioi-thieu");
  await expect(nav.getByRole("link", { name: "Giới thiệu" })).toHaveAttribute("aria-current", "page");
  await expect(nav.getByRole("link", { name: "Trang chủ" })).not.toHaveAttribute("aria-current", /.*/);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(ABOUT_TITLE);
  for (const heading of ["Chức năng", "Nhiệm vụ", "Sơ đồ tổ chức", "Liên hệ"]) {
    await expect(page.getByRole("heading", { level: 2, name: heading })).toBeVisible();
  }
  // The chart: the city, the department under it, its leadership, and the
  // division under the leadership, with its contacts.
  const chart = page.locator(".page-body h2:has-text('Sơ đồ tổ chức') + ul");
  await expect(chart.locator(":scope > li").first()).toContainText("Ủy ban nhân dân thành phố Cần Thơ");
  await expect(chart.locator(":scope > li > ul > li").first()).toContainText("Sở Nội vụ thành phố Cần Thơ");
  const division = chart.locator("li li li li", { hasText: "Phòng Cải cách Hành chính" });
  await expect(division).toHaveCount(1);
  await expect(division.getByRole("link", { name: "caicachhanhchinh@cantho.gov.vn" })).toHaveAttribute(
    "href",
    "mailto:caicachhanhchinh@cantho.gov.vn",
  );
  await expect(division.getByRole("link", { name: "0710 3730759" })).toHaveAttribute("href", "tel:+842923730759");
  await expect(page.locator(".page-body")).toContainText("0931.015.119");
});

/** A new browser (its own cookies) signed in as `username`. */
async function signIn(browser: Browser, username: string): Promise<Page> {
  const context = await browser.newContext();
  const page = await context.newPage();
  const errors: string[] = [];
  page.on("pageerror", (e) => errors.push(`${e.message} at ${page.url()}`));
  page.on("console", (m) => m.type() === "error" && errors.push(m.text()));
  (page as unknown as { errors: string[] }).errors = errors;
  await page.goto("/dang-nhap");
  await page.getByLabel("Tên đăng nhập").fill(username);
  await page.getByLabel("Mật khẩu").fill(E2E_PASSWORD);
  await page.locator(".login-form").getByRole("button", { name: "Đăng nhập" }).click();
  await expect(page).toHaveURL(/\/quan-tri\/$/);
  return page;
}

/** No console error or page error, but for the refusals the test asked for. */
function noErrors(page: Page, ...allowed: number[]) {
  const errors = (page as unknown as { errors: string[] }).errors.filter(
    (e) => !allowed.some((status) => e.includes(`status of ${status} `)),
  );
  expect(errors).toEqual([]);
}

test("an admin edits the about page in the editors' app; readers see it at once", async ({ browser, javaScriptEnabled }) => {
  test.skip(javaScriptEnabled === false, "the editors' app needs JavaScript");
  const LINE = "Dòng thử nghiệm: giờ tiếp công dân từ thứ Hai đến thứ Sáu.";
  const NEW_TITLE = "Giới thiệu – bản thử nghiệm";
  const admin = await signIn(browser, ADMIN);
  await admin.getByRole("navigation", { name: "Quản trị" }).getByRole("link", { name: "Trang giới thiệu" }).click();
  await expect(admin.getByRole("heading", { level: 1, name: "Trang giới thiệu" })).toBeVisible();
  await expect(admin.getByRole("link", { name: "/en" })).toBeVisible();
  await admin.getByRole("button", { name: /^Sửa trang “Giới thiệu/ }).click();
  const title = admin.getByLabel("Tiêu đề (bắt buộc)");
  await expect(title).toHaveValue(ABOUT_TITLE);
  const oldTitle = await title.inputValue();
  const body = admin.getByRole("textbox", { name: "Nội dung trang" });
  await expect(body).toContainText("Sơ đồ tổ chức");

  const reader = await (await browser.newContext()).newPage();
  await reader.goto("/gioi-thieu");
  const oldText = (await reader.locator(".page-body").textContent()) ?? "";
  expect(oldText).toContain("Sơ đồ tổ chức");

  // A line at the end, and no title: refused beside the field, nothing lost.
  await body.focus();
  await admin.keyboard.press("Control+End");
  await admin.keyboard.press("Enter");
  await admin.keyboard.type(LINE);
  await title.fill("");
  const save = admin.getByRole("button", { name: "Lưu trang" });
  await save.click();
  await expect(admin.locator(".field-error")).toHaveText("Xin vui lòng nhập tiêu đề trang.");
  await expect(title).toHaveAttribute("aria-invalid", "true");
  await expect(title).toBeFocused();
  await expect(body).toContainText(LINE);

  await title.fill(NEW_TITLE);
  await save.click();
  await expect(admin.locator(".page-editor .message")).toHaveText("Đã lưu.");
  await expect(admin.locator(".field-error")).toHaveCount(0);
  await reader.reload();
  await expect(reader.getByRole("heading", { level: 1 })).toHaveText(NEW_TITLE);
  await expect(reader.locator(".page-body")).toContainText(LINE);
  await expect(reader.getByRole("heading", { level: 2, name: "Sơ đồ tổ chức" })).toBeVisible();

  // Put the office's own text back.
  await body.focus();
  await admin.keyboard.press("Control+End");
  await admin.keyboard.press("Shift+Home");
  await admin.keyboard.press("Backspace");
  await admin.keyboard.press("Backspace");
  await expect(body).not.toContainText(LINE);
  await title.fill(oldTitle);
  await save.click();
  await expect(admin.locator(".page-editor .message")).toHaveText("Đã lưu.");
  await reader.reload();
  await expect(reader.getByRole("heading", { level: 1 })).toHaveText(oldTitle);
  const restored = (await reader.locator(".page-body").textContent()) ?? "";
  expect(restored.replace(/\s+/g, "")).toBe(oldText.replace(/\s+/g, ""));
  noErrors(admin, 422);
});
