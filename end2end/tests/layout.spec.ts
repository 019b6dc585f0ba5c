import { test, expect, hydrated, REFERENCE_PATH } from "./fixtures";

const WIDTHS = [360, 768, 1280];
const PAGES: [string, string][] = [
  ["home", "/"],
  ["category", "/chuyen-muc/tin-tuc-su-kien"],
  ["article", REFERENCE_PATH],
  ["search", "/tim-kiem?q=can+tho"],
  ["login", "/dang-nhap"],
  ["set password", "/dat-mat-khau?ma=0"],
  ["about", "/gioi-thieu"],
  ["English page", "/en"],
  ["documents", "/van-ban"],
  ["document", "/van-ban/1234-qd-ubnd-2026"],
  ["questions", "/hoi-dap"],
  ["question form", "/hoi-dap/gui"],
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

test("pages do not shift while images, scripts and live numbers arrive", async ({ page, javaScriptEnabled }) => {
  test.skip(javaScriptEnabled === false, "layout shifts are measured with a script");
  // Every page at two widths, each watched for 1.5 s.
  test.setTimeout(120_000);
  await page.addInitScript(() => {
    const w = window as unknown as { shift: number };
    w.shift = 0;
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries() as unknown as { value: number; hadRecentInput: boolean }[]) {
        if (!entry.hadRecentInput) w.shift += entry.value;
      }
    }).observe({ type: "layout-shift", buffered: true });
  });
  for (const [, path] of PAGES) {
    for (const width of [360, 1280]) {
      await page.setViewportSize({ width, height: 900 });
      await page.goto(path);
      await hydrated(page, true);
      await page.waitForTimeout(1500);
      const shift = await page.evaluate(() => (window as unknown as { shift: number }).shift);
      expect(shift, `${path} at ${width}px`).toBeLessThan(0.01);
    }
  }
});

const FONT_SCALES = ["0.875", "1", "1.125", "1.25", "1.375", "1.5"];

for (const width of WIDTHS) {
  test(`every text size at ${width}px: no horizontal scrolling`, async ({ page, javaScriptEnabled }, testInfo) => {
    test.skip(javaScriptEnabled === false, "the text size control needs JavaScript");
    test.setTimeout(90_000);
    await page.setViewportSize({ width, height: 900 });
    for (const scale of FONT_SCALES) {
      await page.addInitScript((s) => localStorage.setItem("cchc-font-scale", s), scale);
      for (const [name, path] of PAGES) {
        await page.goto(path);
        await hydrated(page, true);
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
        expect(overflow, `${name} at text size ${scale}`).toBeLessThanOrEqual(0);
        if (scale === "1.5" && name === "home") {
          await page.screenshot({ path: testInfo.outputPath(`home-${width}-text-150.png`), fullPage: true });
        }
      }
    }
  });
}

test("on a phone the first story starts high on the screen", async ({ page, javaScriptEnabled }, testInfo) => {
  await page.setViewportSize({ width: 360, height: 800 });
  await page.goto("/");
  await hydrated(page, javaScriptEnabled);
  const header = await page.locator(".site-header").boundingBox();
  expect(header!.height).toBeLessThanOrEqual(300);
  const lead = await page.locator(".latest article").first().boundingBox();
  expect(lead!.y).toBeLessThanOrEqual(400);
  // The current headline shows more than a couple of words.
  const headline = page.locator(".headline-list li:visible").first();
  expect((await headline.boundingBox())!.width).toBeGreaterThanOrEqual(200);
  await page.screenshot({ path: testInfo.outputPath("home-360x800-first-screen.png") });
});

test("the phone menu opens from its button, with or without JavaScript, and marks the current section", async ({ page, javaScriptEnabled }) => {
  await page.setViewportSize({ width: 360, height: 800 });
  await page.goto("/chuyen-muc/tin-tuc-su-kien");
  await hydrated(page, javaScriptEnabled);
  const nav = page.getByRole("navigation", { name: "Điều hướng chính" });
  const section = nav.getByRole("link", { name: "Tin tức - Sự kiện" });
  await expect(section).toBeHidden();
  await page.locator(".menu-button").click();
  await expect(section).toBeVisible();
  await expect(section).toHaveAttribute("aria-current", "page");
  await expect(nav.getByRole("link", { name: "Trang chủ" })).not.toHaveAttribute("aria-current", /.*/);
  await expect(page.locator(".hotlines a").first()).toBeVisible();
  // An article marks the section it belongs to.
  await page.goto(REFERENCE_PATH);
  await expect(page.locator('.main-nav a[href="/chuyen-muc/tin-tuc-su-kien"]')).toHaveAttribute("aria-current", "true");
  await expect(page.locator('.main-nav a[href="/"]')).not.toHaveAttribute("aria-current", /.*/);
});

test("tap targets: 44px for the main controls, at least 24px for every other one", async ({ page, javaScriptEnabled }) => {
  await page.setViewportSize({ width: 360, height: 800 });
  for (const path of ["/", "/?trang=2", REFERENCE_PATH, "/en"]) {
    await page.goto(path);
    await hydrated(page, javaScriptEnabled);
    await page.locator(".menu-button").click();
    const sizes = await page.evaluate(() => {
      const main = ".menu-button, .search-form input, .search-form button, .font-size-control button, .headline-controls button, .main-nav a, .hotlines a, .language-link, .pagination .page, .article-tools a, .article-tools button";
      // Links inside sentences are exempt (WCAG 2.5.8 "inline").
      const inline = ".article-body a, .page-body a, .site-footer p a, .feed-excerpt a";
      return [...document.querySelectorAll<HTMLElement>("a, button, input, summary")]
        .filter((el) => el.offsetParent !== null && !el.matches(".skip-link") && !el.matches(inline))
        .map((el) => {
          const box = el.getBoundingClientRect();
          const style = getComputedStyle(el);
          // An inline link's box is its glyphs; its line keeps the others
          // at least a line height away (the spacing rule of 2.5.8).
          const line = style.display === "inline" ? parseFloat(style.lineHeight) || 0 : 0;
          return {
            what: `${el.tagName.toLowerCase()}.${el.className} "${(el.textContent ?? "").trim().slice(0, 30)}"`,
            width: Math.round(box.width),
            height: Math.round(Math.max(box.height, line)),
            min: el.matches(main) ? 44 : 24,
          };
        })
        .filter((t) => t.width < t.min || t.height < t.min);
    });
    expect(sizes, path).toEqual([]);
  }
});

test("wide screens: a reading column of about 70 characters and a side column", async ({ page, javaScriptEnabled }, testInfo) => {
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.goto(REFERENCE_PATH);
  await hydrated(page, javaScriptEnabled);
  const main = (await page.locator("main").boundingBox())!;
  const aside = (await page.getByRole("complementary", { name: "Thống kê và liên kết" }).boundingBox())!;
  expect(aside.x).toBeGreaterThanOrEqual(main.x + main.width);
  expect(aside.y).toBeLessThan(main.y + 200);
  await expect(page.locator(".site-aside .most-read")).toBeVisible();
  // Characters per line of the article's text, from its own font.
  const perLine = await page.evaluate(() => {
    const p = document.querySelector<HTMLElement>(".article-body p")!;
    const style = getComputedStyle(p);
    const canvas = document.createElement("canvas").getContext("2d")!;
    canvas.font = `${style.fontWeight} ${style.fontSize} ${style.fontFamily}`;
    const text = p.textContent ?? "";
    const average = canvas.measureText(text).width / text.length;
    return p.clientWidth / average;
  });
  expect(perLine).toBeGreaterThan(50);
  expect(perLine).toBeLessThan(85);
  // The menu is shown without pressing anything.
  await expect(page.getByRole("navigation", { name: "Điều hướng chính" }).getByRole("link", { name: "Trang chủ" })).toBeVisible();
  await page.screenshot({ path: testInfo.outputPath("article-1280-columns.png"), fullPage: true });
});

test("times never wrap in the middle", async ({ page, javaScriptEnabled }) => {
  await page.setViewportSize({ width: 360, height: 800 });
  for (const path of ["/", REFERENCE_PATH, "/tim-kiem?q=can+tho"]) {
    await page.goto(path);
    await hydrated(page, javaScriptEnabled);
    const broken = await page.evaluate(() =>
      [...document.querySelectorAll("time")]
        .filter((t) => (t as HTMLElement).offsetParent !== null && t.getClientRects().length > 1)
        .map((t) => t.textContent),
    );
    expect(broken, path).toEqual([]);
  }
});
