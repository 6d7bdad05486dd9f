// Shared by the dashboard tests: the npm packages pinned in scripts/web, the
// page script as a module, and the expected chart data read from the JSON.
import { createRequire } from 'node:module';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
export const root = path.resolve(here, '../..');
export const requireWeb = createRequire(path.join(root, 'scripts/web/package.json'));
export const page = createRequire(import.meta.url)(path.join(root, 'src/dashboard/web/dashboard.js'));

export function readJson(file) { return JSON.parse(fs.readFileSync(file, 'utf8')); }

// Tiny runner: named checks, a closing "N passed, N failed" line, exit code.
export function runner() {
  let passed = 0, failed = 0;
  return {
    check(name, ok, detail) {
      if (ok) { passed++; console.log('ok   ' + name); }
      else { failed++; console.log('FAIL ' + name + (detail !== undefined ? ': ' + detail : '')); }
    },
    same(name, actual, expected) {
      const a = JSON.stringify(actual), e = JSON.stringify(expected);
      this.check(name, a === e, a === e ? undefined : 'got ' + a.slice(0, 300) + ' want ' + e.slice(0, 300));
    },
    done() {
      console.log(`${passed} passed, ${failed} failed`);
      process.exit(failed ? 1 : 0);
    },
  };
}

// Per panel: what its first series must hold with no filter (the JSON's
// numbers; money as the JSON's integers).
export function expectedSeries(doc) {
  const p = doc.panels;
  const round1 = (v) => (v === null ? null : Math.round(v * 10) / 10);
  const out = {};
  if (p.trend.status === 'ok') {
    out.trend = { categories: p.trend.grains.month.periods, data: p.trend.grains.month.revenue };
  }
  if (p.region_share.status === 'ok') {
    out.region_share = { data: p.region_share.items.map((x) => x.revenue), names: p.region_share.items.map((x) => x.label) };
  }
  if (p.product_ranking.status === 'ok') {
    out.product_ranking = { categories: p.product_ranking.top.by_revenue.map((x) => x.label),
      data: p.product_ranking.top.by_revenue.map((x) => x.revenue) };
  }
  if (p.funnel.status === 'ok') {
    out.funnel = { categories: p.funnel.overall.stages.map((x) => x.name), data: p.funnel.overall.stages.map((x) => x.count) };
  }
  if (p.customer_value.status === 'ok') {
    out.customer_value = { categories: p.customer_value.tiers.map((x) => x.label), data: p.customer_value.tiers.map((x) => x.customers) };
  }
  if (p.leaderboard.status === 'ok') {
    const rows = p.leaderboard.rows.slice(0, 15);
    out.leaderboard = { categories: rows.map((r) => r.label), data: rows.map((r) => r.revenue) };
  }
  if (p.collection.status === 'ok') {
    out.collection = { categories: p.collection.monthly.periods,
      data: p.collection.monthly.collection_rate.map((v) => (v === null ? null : round1(100 * v))) };
  }
  return out;
}

// A series' data as plain numbers ({value} items unwrapped).
export function values(data) { return data.map((d) => (d !== null && typeof d === 'object' && !Array.isArray(d) ? d.value : d)); }

// Per panel: the first series' data, the category axis and the note, as
// ECharts holds them in the page (playwright's and puppeteer's page alike).
export async function chartState(page) {
  return page.evaluate(() => {
    const out = {};
    for (const [id, chart] of Object.entries(window.__salesight.charts)) {
      const o = chart.getOption();
      const axes = [].concat(o.yAxis || [], o.xAxis || []).filter((a) => a.type === 'category');
      out[id] = { data: o.series[0].data, categories: axes.length ? axes[0].data : null,
        note: document.querySelector('#panel-' + id + ' .note').textContent };
    }
    return out;
  });
}

export const PANEL_IDS = ['trend', 'region_share', 'product_ranking', 'funnel', 'customer_value', 'leaderboard', 'collection'];

// The page as opened: the seven panels with data and drawn, and the KPI cards
// of the JSON each with a value and a sparkline. Returns the cards as
// [id, value text, has sparkline].
export async function checkPanelsAndKpis(t, page, doc) {
  const status = await page.$$eval('section.panel', (els) => els.map((e) => [e.id, e.getAttribute('data-status')]));
  t.same('seven panels, all with data', status, PANEL_IDS.map((id) => ['panel-' + id, 'ok']));
  const drawn = await page.$$eval('section.panel .chart canvas', (els) => els.filter((c) => c.width > 100 && c.height > 100).length);
  t.check('seven charts drawn on canvas', drawn === 7, drawn);
  const kpis = await page.$$eval('#kpis .kpi', (els) => els.map((e) => [e.getAttribute('data-kpi'),
    e.querySelector('.kpi-value').textContent, !!e.querySelector('.spark svg')]));
  t.same('KPI cards = the JSON cards', kpis.map((k) => k[0]), doc.kpis.map((k) => k.id));
  t.check('every KPI card has a value and a sparkline', kpis.every((k) => k[1] && k[1] !== '–' && k[2]), JSON.stringify(kpis));
  return kpis;
}

// The cards' "why" line and alert badge, and the alerts strip, against the
// JSON: the line names the top driver's combination and share, its title is
// the drivers' sentence; the badge counts the card's alerts in the colour of
// the first (the most severe) and lists the first three sentences; the strip
// lists the alerts of KPIs without a card. `filtered`: a filter is applied,
// so each says it is for all regions (in full in the title and the strip).
export async function checkWhyAndAlerts(t, page, doc, filtered) {
  const scope = filtered ? ' (' + page_strings(doc).for_all_regions + ')' : '';
  const scopeLong = filtered ? ' (' + page_strings(doc).all_regions_scope + ')' : '';
  const cards = await page.evaluate(() => [...document.querySelectorAll('#kpis .kpi')].map((e) => {
    const why = e.querySelector('.kpi-why');
    const box = e.querySelector('.kpi-alerts');
    return {
      id: e.getAttribute('data-kpi'), why: why ? why.textContent : null, title: why ? why.title : null,
      badge: box ? box.querySelector('summary').textContent : null, cls: box ? box.className : null,
      items: box ? [...box.querySelectorAll('li[data-severity]')].map((li) => [li.getAttribute('data-severity'), li.textContent]) : [],
    };
  }));
  const tag = filtered ? ' (filtered)' : '';
  let whys = 0, badges = 0;
  for (const k of doc.kpis) {
    const c = cards.find((x) => x.id === k.id);
    if (k.why && k.why.status === 'ok') {
      whys++;
      const w = k.why;
      const parts = w.combination === null ? [] : why_members(w.combination);
      const share = w.share === null ? '' : Math.round(100 * w.share) + '%';
      t.check(k.id + ': why line names the driver and its share' + tag,
        c.why !== null && parts.every((p) => c.why.includes(p)) && c.why.includes(share) && c.why.endsWith(scope), c.why);
      t.same(k.id + ': why title = the drivers sentence' + tag, c.title, w.sentence + scopeLong);
    } else {
      t.check(k.id + ': no why line without a why', c.why === null, c.why);
    }
    const alerts = k.alerts || [];
    if (alerts.length) {
      badges++;
      t.check(k.id + ': badge counts the alerts in the first one\'s colour' + tag,
        c.badge !== null && c.badge.startsWith(String(alerts.length)) && c.badge.endsWith(scope) &&
        c.cls.includes('sev-' + alerts[0].severity), c.badge + ' ' + c.cls);
      t.same(k.id + ': the first three alert sentences' + tag, c.items, alerts.slice(0, 3).map((a) => [a.severity, a.sentence]));
    } else {
      t.check(k.id + ': no badge without alerts', c.badge === null, c.badge);
    }
  }
  t.check('cards with a why line' + tag, whys >= 6, whys);
  t.check('cards with an alert badge' + tag, badges >= 2, badges);
  if (doc.alerts && doc.alerts.status === 'ok') {
    const strip = await page.evaluate(() => [...document.querySelectorAll('#alerts li[data-severity]')].map((li) => [li.getAttribute('data-severity'), li.textContent]));
    t.same('alerts strip = the JSON\'s others' + tag, strip, doc.alerts.others.slice(0, 3).map((a) => [a.severity, a.sentence]));
    const head = await page.evaluate(() => document.querySelector('#alerts .alerts-head').textContent);
    t.check('alerts strip names the watched period' + tag, head.includes(doc.alerts.period) && head.endsWith(scopeLong), head);
  }
}
// The page script's UI strings and the why line's members (the module-level
// `page`, not a browser page).
function page_strings(doc) { return page.STRINGS[doc.lang] || page.STRINGS.en; }
function why_members(combination) { return page.whyMembers(combination); }
