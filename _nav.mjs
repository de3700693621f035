import { chromium } from "@playwright/test";
const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking"] });
const page = await browser.newPage();
let navs = 0; page.on("framenavigated", (f) => { if (f === page.mainFrame()) navs++; });
page.on("console", (m) => { if (/reload|Fast Refresh|hmr/i.test(m.text())) console.log("console:", m.text().slice(0, 200)); });
await page.goto("http://127.0.0.1:3300/deposits");
await new Promise(r => setTimeout(r, 15000));
console.log("main-frame navigations in 15 s:", navs);
await browser.close();
