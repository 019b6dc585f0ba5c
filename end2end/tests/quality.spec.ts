import { execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import AxeBuilder from "@axe-core/playwright";
import { test, expect, expectNotFound, hydrated, REFERENCE_PATH } from "./fixtures";

// Every public page a reader can reach, with the status it answers.
const PAGES: [string, string, number][] = [
  ["home", "/", 200],
  ["home, page 2", "/?trang=2", 200],
  ["category", "/chuyen-muc/tin-tuc-su-kien", 200],
  ["article", REFERENCE_PATH, 200],
  ["search", "/tim-kiem?q=c%E1%BA%A3i+c%C3%A1ch+h%C3%A0nh+ch%C3%ADnh", 200],
  ["empty search", "/tim-kiem", 200],
  ["home, past the last page", "/?trang=9999", 404],
  ["login", "/dang-nhap", 200],
  ["set password", "/dat-mat-khau?ma=0", 200],
  ["not found", "/trang-khong-co", 404],
  ["about", "/gioi-thieu", 200],
  ["English page", "/en", 200],
  ["documents", "/van-ban", 200],
  ["documents, filtered", "/van-ban?q=qd+1234&loai=Quy%E1%BA%BFt+%C4%91%E1%BB%8Bnh&nam=2026", 200],
  ["documents, nothing found", "/van-ban?q=khongcovanbannay", 200],
  ["document", "/van-ban/1234-qd-ubnd-2026", 200],
  ["questions", "/hoi-dap", 200],
  ["question form", "/hoi-dap/gui", 200],
  ["question tracking, unknown code", "/hoi-dap/tra-cuu?ma=HD-0000-0000", 200],
];

for (const [name, path, status] of PAGES) {
  test(`${name}: no WCAG 2.1 A/AA violations (axe)`, async ({ page, browser, javaScriptEnabled }) => {
    let checked = page;
    if (javaScriptEnabled === false) {
      // axe runs as a script: check the server's page in a browser that runs
      // scripts but never receives the app's, so it is never hydrated.
      const context = await browser.newContext({ javaScriptEnabled: true });
      await context.route(/\/pkg\/.*\.(js|wasm)$/, (route) => route.fulfill({ status: 204, body: "" }));
      checked = await context.newPage();
    } else if (status === 404) {
      expectNotFound(page, path);
    }
    const response = await checked.goto(path);
    expect(response?.status()).toBe(status);
    await hydrated(checked, javaScriptEnabled);
    const results = await new AxeBuilder({ page: checked })
      .withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"])
      .analyze();
    const summary = results.violations.map(
      (v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(" ")).join(", ")})`,
    );
    expect(summary).toEqual([]);
  });
}

test("the server-rendered HTML of every public page passes the Nu HTML Checker", async ({ request }, testInfo) => {
  test.skip(testInfo.project.name !== "ssr", "the server's HTML is the same for both projects");
  test.setTimeout(120_000);
  const dir = mkdtempSync(join(tmpdir(), "cchc-vnu-"));
  try {
    const files: string[] = [];
    for (const [name, path, status] of PAGES) {
      const response = await request.get(path);
      expect(response.status(), path).toBe(status);
      const file = join(dir, `${name.replace(/\W+/g, "-")}.html`);
      writeFileSync(file, await response.text());
      files.push(file);
    }
    const jar = require.resolve("vnu-jar/build/dist/vnu.jar");
    let report = "";
    try {
      execFileSync("java", ["-jar", jar, "--errors-only", "--format", "text", ...files], {
        encoding: "utf8",
        stdio: "pipe",
      });
    } catch (error) {
      const failure = error as { stdout?: string; stderr?: string };
      report = `${failure.stdout ?? ""}${failure.stderr ?? ""}`;
    }
    expect(report).toBe("");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
