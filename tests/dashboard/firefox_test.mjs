// The dashboard in Firefox: Debian's firefox-esr (never a downloaded one)
// driven by puppeteer-core over WebDriver BiDi, the file opened via file://.
// The network is cut by a proxy that goes nowhere and every request is
// recorded. Checks: no console error or page error; the KPI cards and seven
// panels render (status ok, a drawn canvas each) and each chart's series and
// categories equal the JSON; a region filter updates every panel and reset
// restores them; a 1440x900 screenshot is written to OUT_DIR.
// Edge is not on Debian; it is Chromium, which browser_test.mjs drives.
// usage: node firefox_test.mjs EN.html EN.json OUT_DIR
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { requireWeb, readJson, runner, expectedSeries, values, chartState as charts, checkPanelsAndKpis, checkWhyAndAlerts, PANEL_IDS as ids } from './common.mjs';

const puppeteer = requireWeb('puppeteer-core');
const [htmlEn, jsonEn, outDir] = process.argv.slice(2);
const doc = readJson(jsonEn);
const t = runner();
fs.mkdirSync(outDir, { recursive: true });
const executablePath = process.env.SALESIGHT_FIREFOX || '/usr/bin/firefox-esr';
if (!fs.existsSync(executablePath)) {
  console.log('FAIL firefox: ' + executablePath + ' is missing (scripts/setup.sh installs firefox-esr)');
  process.exit(1);
}

const browser = await puppeteer.launch({
  browser: 'firefox',
  executablePath,
  headless: true,
  extraPrefsFirefox: {
    // Offline: any http(s) request goes to a proxy on a closed port.
    'network.proxy.type': 1,
    'network.proxy.http': '127.0.0.1',
    'network.proxy.http_port': 9,
    'network.proxy.ssl': '127.0.0.1',
    'network.proxy.ssl_port': 9,
    'network.proxy.allow_hijacking_localhost': true,
  },
});
try {
  const page = await browser.newPage();
  await page.setViewport({ width: 1440, height: 900 });
  const errors = [];
  const remote = [];
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('request', (r) => { if (!/^(file|data|blob|about):/.test(r.url())) remote.push(r.url()); });
  await page.goto(pathToFileURL(path.resolve(htmlEn)).href);
  await page.waitForFunction(() => window.__salesight && window.__salesight.charts, { timeout: 30000 });
  const browserVersion = await browser.version();
  console.log('browser: ' + browserVersion);
  t.check('the browser is Firefox', /firefox/i.test(browserVersion), browserVersion);

  await checkPanelsAndKpis(t, page, doc);
  await checkWhyAndAlerts(t, page, doc, false);

  const before = await charts(page);
  const want = expectedSeries(doc);
  for (const id of ids) {
    t.same(id + ' chart series = JSON', values(before[id].data), want[id].data);
    if (want[id].categories) t.same(id + ' chart categories = JSON', before[id].categories, want[id].categories);
  }
  const regionIds = Object.keys(doc.filters.labels.region);
  await page.select('#filter-region', regionIds[0]);
  await new Promise((r) => setTimeout(r, 150));
  const after = await charts(page);
  for (const id of ids) {
    const changed = JSON.stringify(after[id].data) !== JSON.stringify(before[id].data) ||
      JSON.stringify(after[id].categories) !== JSON.stringify(before[id].categories);
    t.check(id + ' updates on a region filter', changed);
  }
  await checkWhyAndAlerts(t, page, doc, true);
  await page.click('#filter-reset');
  await new Promise((r) => setTimeout(r, 150));
  t.same('reset restores the JSON figures', values((await charts(page)).trend.data), want.trend.data);
  await page.screenshot({ path: path.join(outDir, 'dashboard-firefox-1440x900.png') });
  t.check('no console errors (firefox)', errors.length === 0, errors.join(' | '));
  t.check('no request left the file', remote.length === 0, remote.join(' '));
} catch (e) {
  t.check('firefox run', false, e.stack);
} finally {
  await browser.close();
}
t.done();
