// Renders public/og.png (1200×630, the social image the root layout names) with Debian's Chromium.
// Run: node scripts/og-image.mjs — the logo is public/logo.svg, so the image follows the mark.
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "@playwright/test";

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), "..");
const logo = fs.readFileSync(path.join(root, "public/logo.svg"), "utf8");
const html = `<!doctype html><html><body style="margin:0">
<div style="width:1200px;height:630px;box-sizing:border-box;padding:96px;background:#0f1b2d;color:#e7edf6;
  font-family:system-ui,'DejaVu Sans',sans-serif;display:flex;flex-direction:column;justify-content:center;gap:36px">
  <div style="display:flex;align-items:center;gap:32px">
    <div style="width:128px;height:128px">${logo.replace("<svg ", '<svg width="128" height="128" ')}</div>
    <div style="font-size:112px;font-weight:700;letter-spacing:-2px">Wharf</div>
  </div>
  <div style="font-size:44px;color:#b8c4d6;max-width:960px;line-height:1.3">Self-hosted container registries: OCI distribution, Docker token auth, a portal and a CLI.</div>
</div></body></html>`;

const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ["--no-sandbox", "--disable-gpu"] });
try {
  const page = await browser.newPage({ viewport: { width: 1200, height: 630 } });
  await page.setContent(html);
  await page.screenshot({ path: path.join(root, "public/og.png"), clip: { x: 0, y: 0, width: 1200, height: 630 } });
} finally {
  await browser.close();
}
