// Measures typing latency in the editors' app (see editor-typing.sh).
import { createRequire } from "node:module";
const require = createRequire(new URL("../end2end/package.json", import.meta.url));
const { chromium } = require("@playwright/test");

const base = process.env.BASE;
const words = Number(process.env.WORDS ?? 20000);
const keys = Number(process.env.KEYS ?? 200);
const vocabulary = "cải cách hành chính thành phố Cần Thơ hội nghị tổng kết chương trình hiệu quả quản trị công dân thủ tục một cửa liên thông".split(" ");
const paragraphs = [];
for (let i = 0, n = 0; n < words; i++) {
  const length = 60 + (i % 5) * 20;
  const text = Array.from({ length }, (_, k) => vocabulary[(i * 7 + k * 3) % vocabulary.length]).join(" ");
  paragraphs.push(`<p>${text}.</p>`);
  n += length;
}

const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium", args: ["--no-sandbox"] });
const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
await page.goto(`${base}/dang-nhap`);
await page.fill("#ten-dang-nhap", "bench");
await page.fill("#mat-khau", process.env.PASSWORD);
await page.click(".login-form button[type=submit]");
await page.waitForURL("**/quan-tri/");
const created = await page.evaluate(async (body) => {
  const response = await fetch("/api/quan-tri/tao-bai", {
    method: "POST",
    headers: { "content-type": "application/json", accept: "application/json" },
    body: JSON.stringify({ draft: { title: "Bài dài để đo", excerpt: "", body_html: body, author: "A", category_id: 1, slug: "" } }),
  });
  return response.json();
}, paragraphs.join(""));
const opened = Date.now();
await page.goto(`${base}/quan-tri/bai-viet/${created.id}`);
await page.locator(".rich-text p").nth(10).waitFor();
const loadMs = Date.now() - opened;
await page.evaluate(() => {
  const w = window;
  w.latencies = [];
  document.querySelector(".rich-text").addEventListener("keydown", () => {
    const start = performance.now();
    requestAnimationFrame(() => setTimeout(() => w.latencies.push(performance.now() - start), 0));
  });
});
await page.locator(".rich-text p").nth(Math.floor(paragraphs.length / 2)).click();
for (let i = 0; i < keys; i++) {
  await page.keyboard.type(i % 10 === 9 ? " " : "a");
}
await page.waitForTimeout(500);
const latencies = (await page.evaluate(() => window.latencies)).sort((a, b) => a - b);
const at = (q) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))].toFixed(1);
console.log(`article: ${words} words in ${paragraphs.length} paragraphs, opened in the editor in ${loadMs} ms`);
console.log(`typing: ${latencies.length} keystrokes, keydown to next frame p50 ${at(0.5)} ms, p95 ${at(0.95)} ms, max ${latencies[latencies.length - 1].toFixed(1)} ms`);
await browser.close();
