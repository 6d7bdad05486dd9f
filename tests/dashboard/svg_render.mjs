// Renders each panel's ECharts option (built by the page script from the
// JSON, no browser) to SVG with ECharts' server-side renderer and checks its
// structure: the series, categories and values equal the JSON's; the SVG has
// the bars / slices / lines they draw. Also: a filter re-aggregates to the
// cube's sums; a hostile label stays text in the SVG.
// usage: node svg_render.mjs DASHBOARD.json [HOSTILE.json]
import path from 'node:path';
import { requireWeb, page, readJson, runner, expectedSeries, values, root } from './common.mjs';
import { validate } from './schema_check.mjs';

const echarts = requireWeb('echarts');
const t = runner();
const doc = readJson(process.argv[2]);

function render(option) {
  const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, width: 720, height: 320 });
  chart.setOption(option);
  const svg = chart.renderToSVGString();
  chart.dispose();
  return svg;
}

// The documents follow src/dashboard/dashboard.schema.json.
const schema = readJson(path.join(root, 'src/dashboard/dashboard.schema.json'));
for (const file of process.argv.slice(2)) {
  const errors = validate(schema, readJson(file));
  t.check(path.basename(file) + ' follows dashboard.schema.json', errors.length === 0, errors.slice(0, 5).join('; '));
}
// The checker itself fails on a broken document.
const broken = JSON.parse(JSON.stringify(doc));
delete broken.panels.funnel.overall;
broken.kpis[0].value = 'x';
t.check('the schema check catches a broken document', validate(schema, broken).length >= 2);

const state = page.defaultState(doc);
const panels = page.buildPanels(doc, state);
const want = expectedSeries(doc);
for (const id of Object.keys(panels)) {
  const spec = panels[id];
  if (spec.noData) { t.check(id + ' has data', false, spec.noData); continue; }
  const svg = render(spec.option);
  t.check(id + ' renders to SVG', svg.startsWith('<svg') && svg.length > 1000, svg.slice(0, 80));
  const series = spec.option.series[0];
  t.same(id + ' series values = JSON', values(series.data), want[id].data);
  if (want[id].categories) {
    const axis = [].concat(spec.option.yAxis).find((a) => a.type === 'category') ||
      [].concat(spec.option.xAxis).find((a) => a.type === 'category');
    t.same(id + ' categories = JSON', axis.data, want[id].categories);
  }
  if (want[id].names) t.same(id + ' names = JSON', series.data.map((d) => d.name), want[id].names);
  // Structure: one drawn shape per bar / slice (paths), the axis labels as text.
  const shapes = (svg.match(/<path/g) || []).length;
  t.check(id + ' draws its ' + values(series.data).length + ' data shapes', shapes >= values(series.data).length, shapes);
  const firstLabel = want[id].categories ? want[id].categories[0] : want[id].names[0];
  const escaped = String(firstLabel).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  t.check(id + ' SVG shows the first label', svg.includes(escaped) || svg.includes(firstLabel), firstLabel);
}

// The trend's other series: last year and target = the JSON's.
const trend = panels.trend.option.series;
t.same('trend last year = JSON', trend.find((s) => s.id === 'last_year').data, doc.panels.trend.grains.month.last_year);
if (doc.panels.trend.has_target) {
  t.same('trend target = JSON', trend.find((s) => s.id === 'target').data, doc.panels.trend.grains.month.target);
}

// A region filter: the trend's bars are the sales cube's sums for it.
const regionId = Object.keys(doc.filters.labels.region)[0];
const filtered = page.buildPanels(doc, Object.assign({}, state, { region: regionId }));
const months = doc.filters.months;
const sums = months.map(() => 0);
const cols = doc.filters.sales.columns;
for (const r of doc.filters.sales.rows) {
  if (String(r[cols.indexOf('region')]) === regionId) sums[r[0]] += r[cols.indexOf('revenue')];
}
t.same('region filter: trend = cube sums', filtered.trend.option.series[0].data,
  sums.slice(state.fromMonth, state.toMonth + 1));
t.check('region filter: trend SVG renders', render(filtered.trend.option).startsWith('<svg'));

// Money is formatted exactly.
t.same('formatMoney exact', page.formatMoney(123456789012, 2, '¥'), '¥1,234,567,890.12');
t.same('formatMoney negative cents', page.formatMoney(-5, 2, '$'), '-$0.05');
t.same('axis labels stay distinct', [150000, 200000, 250000].map((v) => page.formatShort(v, 2, 'en')), ['1.5k', '2k', '2.5k']);
t.same('axis labels in zh', [5000000, 125000000].map((v) => page.formatShort(v, 2, 'zh')), ['5万', '125万']);

if (process.argv[3]) {
  const hostile = readJson(process.argv[3]);
  const hp = page.buildPanels(hostile, page.defaultState(hostile));
  // A region named <img src=x onerror=...>: the pie's labels and the aging axis.
  const svg = render(hp.region_share.option) + render(hp.collection.option);
  t.check('hostile labels are escaped text in SVG', !svg.includes('<img') && svg.includes('&lt;img src=x'));
}
t.done();
