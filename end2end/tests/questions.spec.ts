import type { Browser, Page } from "@playwright/test";
import { test, expect, expectRefusal, hydrated } from "./fixtures";
import { E2E_PASSWORD, EDITOR } from "./accounts";

// The server believes X-Forwarded-For from loopback (CCHC_TRUSTED_PROXIES in
// playwright.config.ts), so each test asks from its own network and the
// per-minute limit of one test never meets another's.
let network = 0;
function citizenNetwork(): Record<string, string> {
  network += 1;
  return { "x-forwarded-for": `10.${(process.pid % 200) + 1}.${network}.7` };
}

/** Fills the question form as a person would (slowly enough). */
async function fillQuestion(page: Page, question: string, consent = true) {
  await page.getByLabel("Họ và tên *").fill("Nguyễn Văn Thử");
  await page.getByLabel("Email hoặc số điện thoại *").fill("0931 015 119");
  await page.getByLabel("Lĩnh vực *").selectOption("Thủ tục hành chính");
  await page.getByLabel("Nội dung câu hỏi *").fill(question);
  if (consent) await page.getByLabel(/Tôi đồng ý cho công bố/).check();
}

async function signIn(browser: Browser, username: string): Promise<Page> {
  // The editors' app needs JavaScript, whichever project the citizen is in.
  const page = await (await browser.newContext({ javaScriptEnabled: true })).newPage();
  await page.goto("/dang-nhap");
  await page.getByLabel("Tên đăng nhập").fill(username);
  await page.getByLabel("Mật khẩu").fill(E2E_PASSWORD);
  await page.locator(".login-form").getByRole("button", { name: "Đăng nhập" }).click();
  await expect(page).toHaveURL(/\/quan-tri\/$/);
  return page;
}

test("a citizen asks without an account, gets a code and follows the question to its answer", async ({
  page,
  browser,
  javaScriptEnabled,
}) => {
  await page.setExtraHTTPHeaders(citizenNetwork());
  await page.goto("/hoi-dap");
  await hydrated(page, javaScriptEnabled);
  await page.getByRole("link", { name: "Gửi câu hỏi" }).click();
  await expect(page).toHaveURL("/hoi-dap/gui");
  const question = `Thủ tục đăng ký kết hôn cần giấy tờ gì? (${test.info().project.name})`;
  await fillQuestion(page, question);
  // A person takes more than three seconds to write a question.
  await page.waitForTimeout(3_200);
  await page.getByRole("button", { name: "Gửi câu hỏi" }).click();
  await expect(page).toHaveURL(/\/hoi-dap\/tra-cuu\?ma=HD-/);
  await expect(page.locator(".qa-sent")).toContainText("Câu hỏi của bạn đã được gửi.");
  const code = (await page.locator(".qa-code").textContent())!.trim();
  expect(code).toMatch(/^HD-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$/);
  await expect(page.locator(".qa-state")).toHaveText("Đã nhận");
  // Nothing personal on the tracking page.
  await expect(page.locator("main")).not.toContainText("Nguyễn Văn Thử");

  // An editor answers and publishes it in the editors' app.
  const editor = await signIn(browser, EDITOR);
  await editor.getByRole("navigation", { name: "Quản trị" }).getByRole("link", { name: "Hỏi đáp" }).click();
  await editor.getByRole("row").filter({ hasText: code }).getByRole("button", { name: "Trả lời" }).click();
  await editor.getByLabel("Tiêu đề công bố").fill(`Đăng ký kết hôn ${code}`);
  await editor.getByLabel("Câu trả lời").fill("Hai bên nộp tờ khai đăng ký kết hôn và xuất trình giấy tờ tùy thân.");
  await editor.getByLabel("Tình trạng", { exact: true }).selectOption({ label: "Đã trả lời" });
  await editor.getByLabel("Công bố trên trang Hỏi đáp").check();
  await editor.getByRole("button", { name: "Lưu câu trả lời" }).click();
  await expect(editor.getByText("Đã lưu.", { exact: true })).toBeVisible();

  // The citizen tracks it by the code, typed loosely.
  await page.goto("/hoi-dap/tra-cuu");
  await hydrated(page, javaScriptEnabled);
  await page.getByLabel("Mã tra cứu").fill(code.toLowerCase().replace(/-/g, " "));
  await page.getByRole("button", { name: "Tra cứu" }).click();
  await expect(page.locator(".qa-state")).toHaveText("Đã trả lời");
  await expect(page.locator(".qa-answer")).toContainText("Hai bên nộp tờ khai");
  // And the published answer is on the public list, without the asker's details.
  await page.goto("/hoi-dap?q=ket+hon");
  await expect(page.locator(".qa-item").filter({ hasText: `Đăng ký kết hôn ${code}` })).toContainText(
    "Hai bên nộp tờ khai",
  );
  await expect(page.locator("main")).not.toContainText("0931 015 119");
});

test("a question sent the instant the form opens is refused politely, and nothing typed is lost", async ({
  page,
  javaScriptEnabled,
}) => {
  await page.setExtraHTTPHeaders(citizenNetwork());
  // The refused form answers 422: Chromium logs that as a failed load.
  expectRefusal(page, "/hoi-dap/gui");
  await page.goto("/hoi-dap/gui");
  await hydrated(page, javaScriptEnabled);
  const question = "Tôi muốn hỏi về thời hạn giải quyết hồ sơ đất đai.";
  await fillQuestion(page, question);
  await page.getByRole("button", { name: "Gửi câu hỏi" }).click();
  await expect(page.getByRole("alert")).toContainText("quá nhanh");
  await expect(page.getByLabel("Nội dung câu hỏi *")).toHaveValue(question);
  await expect(page.getByLabel("Họ và tên *")).toHaveValue("Nguyễn Văn Thử");
  // Sent again after a moment, it is taken.
  await page.waitForTimeout(3_200);
  await page.getByRole("button", { name: "Gửi câu hỏi" }).click();
  await expect(page).toHaveURL(/\/hoi-dap\/tra-cuu\?ma=HD-/);
});

test("the sixth question in a minute from one network waits, with a clear message", async ({ page, javaScriptEnabled }) => {
  const headers = citizenNetwork();
  await page.setExtraHTTPHeaders(headers);
  // The sixth answers 429: Chromium logs that as a failed load.
  expectRefusal(page, "/hoi-dap/gui");
  await page.goto("/hoi-dap/gui");
  await hydrated(page, javaScriptEnabled);
  const token = await page.locator("input[name=ma_bieu_mau]").getAttribute("value");
  await page.waitForTimeout(3_200);
  for (let n = 1; n <= 5; n++) {
    const response = await page.request.post("/hoi-dap/gui", {
      headers: { ...headers, "sec-fetch-site": "same-origin" },
      form: {
        ho_ten: "Người thử",
        lien_he: "thu@example.vn",
        chu_de: "Khác",
        noi_dung: `Câu hỏi thử số ${n} trong một phút.`,
        trang_web: "",
        ma_bieu_mau: token!,
      },
      maxRedirects: 0,
    });
    expect(response.status(), `question ${n}`).toBe(303);
  }
  await fillQuestion(page, "Câu hỏi thứ sáu trong một phút.");
  await page.getByRole("button", { name: "Gửi câu hỏi" }).click();
  await expect(page.getByRole("alert")).toContainText("đợi một phút");
  await expect(page.getByLabel("Nội dung câu hỏi *")).toHaveValue("Câu hỏi thứ sáu trong một phút.");
});

test("readers rate an article, with or without JavaScript", async ({ page, javaScriptEnabled }) => {
  await page.goto("/");
  await hydrated(page, javaScriptEnabled);
  await page.locator(".latest a").first().click();
  await hydrated(page, javaScriptEnabled);
  const rating = page.getByRole("region", { name: "Bạn thấy thông tin có hữu ích không?" });
  await rating.getByRole("button", { name: "Có" }).click();
  await expect(page).toHaveURL(/\?danh-gia=cam-on#danh-gia$/);
  await expect(page.getByRole("region", { name: "Bạn thấy thông tin có hữu ích không?" })).toContainText(
    "Cảm ơn bạn đã góp ý.",
  );
});
