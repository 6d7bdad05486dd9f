// The dashboard in a real browser: Debian's chromium (never a downloaded
// one) driven by playwright-core, the file opened via file:// with the
// network off. Checks: no console error; the KPI cards and seven panels
// render and each chart's series equal the JSON; a filter change updates
// every panel; a click on a region drills to its salespeople and the
// breadcrumb returns; CSV download; zh labels render with a CJK font; a
// 1440x900 screenshot and a PDF whose fonts (pdffonts) include an embedded
// CJK font are written to OUT_DIR.
// With HOSTILE.html (customers named <script>alert(1)</script>, a region
// named <img src=x onerror=...>, no pipeline): the names show as text, no
// dialog opens, no element is injected, the funnel says why it has no data.
// With REAL.html (a public retail export: orders only, no salesperson): the
// panels its data supports render, the others say why not, no console error.
// With ZH.json: the zh cards' why lines and alert badges equal it.
// usage: node browser_test.mjs EN.html EN.json ZH.html OUT_DIR [HOSTILE.html [REAL.html [ZH.json]]]
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { requireWeb, readJson, runner, expectedSeries, values, chartState as charts, checkPanelsAndKpis, checkWhyAndAlerts, PANEL_IDS as ids } from './common.mjs';

const { chromium } = requireWeb('playwright-core');
const [htmlEn, jsonEn, htmlZh, outDir, htmlHostile, htmlReal, jsonZh] = process.argv.slice(2);
const doc = readJson(jsonEn);
const t = runner();
fs.mkdirSync(outDir, { recursive: true });

const browser = await chromium.launch({
  executablePath: process.env.SALESIGHT_CHROMIUM || '/usr/bin/chromium',
  // Root in a container has no user namespace sandbox.
  args: ['--no-sandbox', '--disable-gpu', '--font-render-hinting=none'],
});
const remote = [];
async function open(file, viewport) {
  const context = await browser.newContext({ offline: true, viewport, acceptDownloads: true });
  const page = await context.newPage();
  const errors = [];
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('request', (r) => { if (!/^(file|data|blob|about):/.test(r.url())) remote.push(r.url()); });
  await page.goto(pathToFileURL(path.resolve(file)).href);
  await page.waitForFunction(() => window.__salesight && window.__salesight.charts, null, { timeout: 15000 });
  return { page, context, errors };
}

try {
  const { page, errors } = await open(htmlEn, { width: 1440, height: 900 });
  const kpis = await checkPanelsAndKpis(t, page, doc);
  await checkWhyAndAlerts(t, page, doc, false);
  const revenueText = kpis.find((k) => k[0] === 'revenue')[1];
  const scale = doc.money_scale;
  const rev = String(doc.kpis[0].value);
  t.check('revenue card shows the exact amount', revenueText.replace(/[^0-9]/g, '') === rev, revenueText + ' vs ' + rev);

  const overdue = doc.kpis.find((k) => k.id === 'overdue');
  if (overdue && overdue.change_pct) {
    const cls = await page.$eval('#kpis [data-kpi="overdue"] .kpi-change', (e) => e.className);
    t.check('the overdue change is coloured by good/bad news (a rise is bad)', cls.includes(overdue.change_pct > 0 ? 'down' : 'up'), cls);
  }
  const before = await charts(page);
  const want = expectedSeries(doc);
  for (const id of ids) {
    t.same(id + ' chart series = JSON', values(before[id].data), want[id].data);
    if (want[id].categories) t.same(id + ' chart categories = JSON', before[id].categories, want[id].categories);
  }

  // A tooltip shows exact money: hover the trend's first bar.
  const box = await page.locator('#panel-trend .chart').boundingBox();
  const point = await page.evaluate(() => window.__salesight.charts.trend.convertToPixel({ seriesIndex: 0 }, [0, 0]));
  await page.mouse.move(box.x + point[0], box.y + point[1] - 20);
  await page.waitForTimeout(200);
  const tip = await page.evaluate(() => {
    const tips = [...document.querySelectorAll('#panel-trend div')].filter((d) => d.style.position === 'absolute' && d.textContent);
    return tips.map((d) => d.textContent).join(' | ');
  });
  const firstMonth = doc.panels.trend.grains.month.revenue[0];
  const cents = String(firstMonth).slice(-scale);
  t.check('tooltip shows exact money with separators', tip.includes(',') && tip.includes('.' + cents), tip.slice(0, 200));

  // A filter change updates every panel (data or the note saying which filters apply).
  const regionIds = Object.keys(doc.filters.labels.region);
  await page.selectOption('#filter-region', regionIds[0]);
  await page.waitForTimeout(100);
  const after = await charts(page);
  for (const id of ids) {
    const changed = JSON.stringify(after[id].data) !== JSON.stringify(before[id].data) ||
      JSON.stringify(after[id].categories) !== JSON.stringify(before[id].categories);
    t.check(id + ' updates on a region filter', changed, after[id].note);
  }
  const revenueFiltered = await page.$eval('#kpis [data-kpi="revenue"] .kpi-value', (e) => e.textContent);
  t.check('revenue card updates on the filter', revenueFiltered !== revenueText, revenueFiltered);
  await checkWhyAndAlerts(t, page, doc, true);
  await page.click('#filter-reset');
  await page.waitForTimeout(100);
  const reset = await charts(page);
  t.same('reset restores the JSON figures', values(reset.trend.data), want.trend.data);

  // Drill-down: click the first region's slice, then the breadcrumb.
  const pie = await page.locator('#panel-region_share .chart').boundingBox();
  const cx = pie.x + pie.width * 0.40, cy = pie.y + pie.height * 0.55;
  const r = Math.min(pie.width, pie.height) / 2 * 0.56;
  const a = 4 * Math.PI / 180;  // just clockwise of 12 o'clock: the first slice
  await page.mouse.click(cx + r * Math.sin(a), cy - r * Math.cos(a));
  await page.waitForTimeout(150);
  const drilled = (await charts(page)).region_share;
  const region = doc.panels.region_share.items[0].label;
  const people = doc.panels.region_share.drill[region];
  t.same('region click drills to its salespeople', drilled.categories.slice(0, people.items.length), people.items.map((x) => x.label));
  t.same('drilled values = JSON', values(drilled.data).slice(0, people.items.length), people.items.map((x) => x.revenue));
  const crumbs = await page.$$eval('#panel-region_share .crumbs .crumb', (els) => els.map((e) => e.textContent));
  t.same('breadcrumb shows the path', crumbs, ['All regions', region]);
  await page.click('#panel-region_share .crumbs a.crumb');
  await page.waitForTimeout(150);
  const back = (await charts(page)).region_share;
  t.same('breadcrumb returns to the regions', values(back.data), want.region_share.data);

  // CSV download of a panel.
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('#panel-funnel .tools .csv')]);
  const csv = fs.readFileSync(await download.path(), 'utf8');
  t.check('funnel CSV downloads with its rows', csv.includes('stage,count,step_conversion') &&
    csv.split('\r\n').length >= doc.panels.funnel.overall.stages.length + 1, csv.slice(0, 80));
  const [png] = await Promise.all([page.waitForEvent('download'), page.click('#panel-trend .tools .png')]);
  const pngBytes = fs.readFileSync(await png.path());
  t.check('trend PNG saves', pngBytes.subarray(1, 4).toString() === 'PNG', pngBytes.length);

  await page.screenshot({ path: path.join(outDir, 'dashboard-en-1440x900.png') });
  await page.screenshot({ path: path.join(outDir, 'dashboard-en-full.png'), fullPage: true });
  t.check('no console errors (en)', errors.length === 0, errors.join(' | '));

  // zh: labels in Chinese, drawn with a CJK font; the PDF embeds it.
  const zh = await open(htmlZh, { width: 1440, height: 900 });
  const title = await zh.page.$eval('#panel-trend h2', (e) => e.textContent);
  t.same('zh panel title', title, '销售趋势');
  if (jsonZh) await checkWhyAndAlerts(t, zh.page, readJson(jsonZh), false);
  const cdp = await zh.page.context().newCDPSession(zh.page);
  await cdp.send('DOM.enable');
  await cdp.send('CSS.enable');
  const { root } = await cdp.send('DOM.getDocument');
  const { nodeId } = await cdp.send('DOM.querySelector', { nodeId: root.nodeId, selector: '#panel-trend h2' });
  const { fonts } = await cdp.send('CSS.getPlatformFontsForNode', { nodeId });
  t.check('zh labels render with a CJK font', fonts.some((f) => /CJK|Noto Sans SC|Source Han|WenQuanYi/i.test(f.familyName)),
    JSON.stringify(fonts));
  await zh.page.screenshot({ path: path.join(outDir, 'dashboard-zh-1440x900.png') });
  const pdf = path.join(outDir, 'dashboard-zh.pdf');
  await zh.page.pdf({ path: pdf, format: 'A4', landscape: true, printBackground: true });
  // Chromium (Skia) embeds Noto Sans CJK (CFF outlines in a .ttc) as Type 3
  // fonts, which pdffonts lists unnamed; so: every font pdffonts lists is
  // embedded, the named ones (DejaVu) have no CJK glyphs, and the zh text
  // comes back out of the PDF - its glyphs are in the embedded Type 3 fonts.
  const fontsOut = execFileSync('pdffonts', [pdf], { encoding: 'utf8' });
  const rows = fontsOut.split('\n').slice(2).filter((l) => l.trim());
  const emb = (l) => l.slice(71, 75).trim();
  t.check('PDF: every font is embedded (pdffonts)', rows.length > 0 && rows.every((l) => emb(l) === 'yes'), fontsOut.slice(0, 400));
  const named = rows.filter((l) => !/^\[none\]/.test(l)).map((l) => l.split(/\s+/)[0]);
  const type3 = rows.filter((l) => /Type 3/.test(l)).length;
  const text = execFileSync('pdftotext', [pdf, '-'], { encoding: 'utf8' });
  t.check('PDF: the zh text is in it, drawn with embedded Type 3 (CJK) fonts',
    text.includes('销售趋势') && type3 > 0, 'type3=' + type3 + ' named=' + named.join(','));
  console.log('pdffonts: ' + rows.length + ' fonts, ' + type3 + ' Type 3, named: ' +
    [...new Set(named.map((n) => n.replace(/^[A-Z]{6}\+/, '')))].join(', '));
  t.check('no console errors (zh)', zh.errors.length === 0, zh.errors.join(' | '));
  if (htmlHostile) {
    const h = await open(htmlHostile, { width: 1440, height: 900 });
    let dialogs = 0;
    h.page.on('dialog', (d) => { dialogs++; d.dismiss(); });
    await h.page.selectOption('#filter-region', { index: 2 });
    await h.page.click('#filter-reset');
    await h.page.waitForTimeout(200);
    const body = await h.page.evaluate(() => document.body.innerText);
    t.check('hostile customer name shows as text', body.includes('<script>alert(1)</script>'), body.slice(0, 200));
    const options = await h.page.$$eval('#filter-region option', (els) => els.map((e) => e.textContent));
    t.check('hostile region name shows as text', options.includes('<img src=x onerror=alert(2)>'), options.join('|'));
    const injected = await h.page.evaluate(() => document.querySelectorAll('img, #app script').length);
    t.check('no element injected, no dialog', injected === 0 && dialogs === 0, injected + ' ' + dialogs);
    const funnel = await h.page.$eval('#panel-funnel', (e) => [e.getAttribute('data-status'), e.querySelector('.note').textContent]);
    t.same('no pipeline: the funnel says no data and why', funnel, ['no_data', 'No data: no pipeline (opportunities) given']);
    t.check('no console errors (hostile, no pipeline)', h.errors.length === 0, h.errors.join(' | '));
  }
  if (htmlReal) {
    const real = await open(htmlReal, { width: 1440, height: 900 });
    const panels = await real.page.$$eval('section.panel', (els) => els.map((e) => [e.getAttribute('data-panel'),
      e.getAttribute('data-status'), e.getAttribute('data-status') === 'no_data' ? e.querySelector('.note').textContent : '']));
    t.same('real export: the panels its data supports render, the others say why', panels, [
      ['trend', 'ok', ''], ['region_share', 'ok', ''], ['product_ranking', 'ok', ''],
      ['funnel', 'no_data', 'No data: no pipeline (opportunities) given'], ['customer_value', 'ok', ''],
      ['leaderboard', 'no_data', 'No data: the order lines have no salesperson'],
      ['collection', 'no_data', 'No data: no invoices given']]);
    await real.page.selectOption('#filter-category', { index: 1 });
    await real.page.waitForTimeout(100);
    await real.page.screenshot({ path: path.join(outDir, 'dashboard-superstore.png'), fullPage: true });
    t.check('no console errors (real export, filtered)', real.errors.length === 0, real.errors.join(' | '));
  }
  t.check('no request left the file (network off)', remote.length === 0, remote.join(' '));
} catch (e) {
  t.check('browser run', false, e.stack);
} finally {
  await browser.close();
}
t.done();
