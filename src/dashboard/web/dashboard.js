/* salesight dashboard page script (inlined by src/dashboard/html.cpp).
 *
 * The page is a function of two things: the document (the JSON embedded in
 * #salesight-data, src/dashboard/dashboard.schema.json) and the view state
 * (filters, drill-downs, toggles). buildPanels(doc, state) turns them into
 * one ECharts option, one CSV table and notes per panel; it is pure, so the
 * Node tests (tests/dashboard) render the same options to SVG. With no
 * filter the panels show the document's numbers as they are; a filter
 * re-aggregates the pre-aggregated facts under doc.filters (sums only: the
 * calculators did every definition).
 *
 * Safety: user strings (customer, product, region names) reach the page only
 * through textContent and ECharts data, never innerHTML; tooltips escape
 * them. Money stays integer minor units in the chart data and is formatted
 * exactly (no float division) for labels and tooltips.
 */
(function (root) {
  'use strict';

  // ------------------------------------------------------------------ strings
  // Every UI string, once, in both languages.
  const STRINGS = {
    en: {
      filters: 'Filters', from: 'From', to: 'To', region: 'Region', salesperson: 'Salesperson',
      category: 'Category', channel: 'Channel', all: 'All', reset: 'Reset',
      trend: 'Sales trend', region_share: 'Region share', product_ranking: 'Product ranking',
      funnel: 'Sales funnel', customer_value: 'Customer value', leaderboard: 'Salesperson leaderboard',
      collection: 'Collection',
      revenue: 'Revenue', last_year: 'Last year', target: 'Target', attainment: 'Attainment %',
      margin: 'Margin', margin_pct: 'Margin %', orders: 'Orders', won: 'Won', win_rate: 'Win rate',
      collection_rate: 'Collection rate', month: 'Month', week: 'Week', day: 'Day',
      by_revenue: 'By revenue', by_margin: 'By margin', slow_movers: 'Slow movers',
      days_since_sale: 'days since last sale', never_sold: 'never sold',
      stage: 'Stage', count: 'Count', step_conversion: 'Step conversion',
      cumulative_conversion: 'Cumulative', median_days: 'Median days', bottleneck: 'Bottleneck',
      funnel_source: 'Show', overall: 'All opportunities', source: 'Source',
      tier: 'Tier', customers: 'Customers', revenue_share: 'Revenue share', pareto: '80/20 curve',
      customer_share: 'Customer share', top20: 'Top 20% of customers bring',
      customer: 'Customer', recency: 'Recency (days)', frequency: 'Frequency', monetary: 'Monetary',
      rank: 'Rank', dso: 'DSO', cei: 'CEI', days: 'days', aging: 'AR aging', invoice: 'Invoice',
      due_date: 'Due', outstanding: 'Outstanding', days_past_due: 'Days past due',
      overdue_chase: 'Top overdue invoices to chase', csv: 'CSV', png: 'PNG',
      no_data: 'No data', all_regions: 'All regions', all_products: 'All products',
      all_tiers: 'All tiers', back: 'Back',
      kpi_revenue: 'Revenue (period)', kpi_revenue_mtd: 'Revenue MTD', kpi_revenue_qtd: 'Revenue QTD',
      kpi_revenue_ytd: 'Revenue YTD', kpi_gross_margin_pct: 'Gross margin', kpi_orders: 'Orders',
      kpi_new_customers: 'New customers', kpi_won_deals: 'Won deals',
      kpi_collection_rate: 'Collection rate', kpi_overdue: 'Overdue amount',
      up: 'up {0} on last year', down: 'down {0} on last year', flat: 'same as last year',
      no_base: 'no last-year figure', of_target: '{0} of target',
      points_up: 'up {0} points on last year', points_down: 'down {0} points on last year',
      filtered_note: 'Filters applied: {0}.', ignored_note: 'Not applied here: {0}.',
      unfiltered_kpi: 'all data', others: 'Others ({0})',
      week_day_note: 'Filters apply to the month view; this view shows all data in the period.',
      period: 'Period', as_of: 'as of', generated: 'salesight dashboard',
      tiers_note: 'Click a tier for its top customers.', drill_hint: 'Click a region for its salespeople.',
      category_hint: 'Categories:', licence: 'Charts: Apache ECharts (Apache License 2.0; notice in this file).',
      region_of_salesperson: "the salesperson's region",
      why: 'Why: {0}', why_none: 'no single driver', why_share: '{0} of the change',
      all_regions_scope: 'all regions, filters not applied', for_all_regions: 'for all regions', alerts: 'Alerts',
      alerts_count: '{0} alerts', alert_one: '1 alert', alerts_none: 'No alerts',
      alerts_more: '+{0} more', alerts_period: 'watched period {0}',
    },
    zh: {
      filters: '筛选', from: '从', to: '到', region: '区域', salesperson: '销售员',
      category: '品类', channel: '渠道', all: '全部', reset: '重置',
      trend: '销售趋势', region_share: '区域占比', product_ranking: '产品排行',
      funnel: '销售漏斗', customer_value: '客户价值分布', leaderboard: '销售员排行榜',
      collection: '回款',
      revenue: '销售额', last_year: '去年同期', target: '目标', attainment: '达成率 %',
      margin: '毛利', margin_pct: '毛利率 %', orders: '订单数', won: '赢单', win_rate: '赢单率',
      collection_rate: '回款率', month: '月', week: '周', day: '日',
      by_revenue: '按销售额', by_margin: '按毛利', slow_movers: '滞销品',
      days_since_sale: '天未售出', never_sold: '从未售出',
      stage: '阶段', count: '数量', step_conversion: '阶段转化率',
      cumulative_conversion: '累计转化率', median_days: '中位天数', bottleneck: '瓶颈',
      funnel_source: '显示', overall: '全部商机', source: '来源',
      tier: '客户层级', customers: '客户数', revenue_share: '销售额占比', pareto: '二八曲线',
      customer_share: '客户占比', top20: '前 20% 客户贡献',
      customer: '客户', recency: '最近购买（天）', frequency: '频次', monetary: '金额',
      rank: '排名', dso: '应收账款周转天数', cei: '回款效率指数', days: '天', aging: '应收账龄',
      invoice: '发票', due_date: '到期日', outstanding: '未收金额', days_past_due: '逾期天数',
      overdue_chase: '优先催收的逾期发票', csv: 'CSV', png: 'PNG',
      no_data: '无数据', all_regions: '全部区域', all_products: '全部产品',
      all_tiers: '全部层级', back: '返回',
      kpi_revenue: '本期销售额', kpi_revenue_mtd: '本月累计', kpi_revenue_qtd: '本季累计',
      kpi_revenue_ytd: '本年累计', kpi_gross_margin_pct: '毛利率', kpi_orders: '订单数',
      kpi_new_customers: '新客户', kpi_won_deals: '赢单数',
      kpi_collection_rate: '回款率', kpi_overdue: '逾期金额',
      up: '比去年同期增长 {0}', down: '比去年同期下降 {0}', flat: '与去年同期持平',
      no_base: '无去年同期数据', of_target: '完成目标 {0}',
      points_up: '比去年同期高 {0} 个百分点', points_down: '比去年同期低 {0} 个百分点',
      filtered_note: '已应用筛选：{0}。', ignored_note: '此处未应用：{0}。',
      unfiltered_kpi: '全部数据', others: '其他（{0}）',
      week_day_note: '筛选作用于按月视图；此视图显示期间内的全部数据。',
      period: '期间', as_of: '截至', generated: 'salesight 销售仪表盘',
      tiers_note: '点击层级查看其主要客户。', drill_hint: '点击区域查看其销售员。',
      category_hint: '品类：', licence: '图表：Apache ECharts（Apache License 2.0，许可声明见本文件）。',
      region_of_salesperson: '销售员所在区域',
      why: '原因：{0}', why_none: '无单一驱动因素', why_share: '解释变化的 {0}',
      all_regions_scope: '全部区域，未应用筛选', for_all_regions: '全部区域', alerts: '预警',
      alerts_count: '{0} 条预警', alert_one: '1 条预警', alerts_none: '无预警',
      alerts_more: '另有 {0} 条', alerts_period: '监测期间 {0}',
    },
  };

  function t(lang, key, arg) {
    const s = (STRINGS[lang] || STRINGS.en)[key];
    const text = s === undefined ? key : s;
    return arg === undefined ? text : text.replace('{0}', arg);
  }

  const FONT = 'system-ui, -apple-system, "Segoe UI", "PingFang SC", "Hiragino Sans GB", ' +
    '"Microsoft YaHei", "Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", ' +
    '"WenQuanYi Micro Hei", sans-serif';
  const ABC_COLORS = { A: '#2e7d32', B: '#f9a825', C: '#9e9e9e', N: '#c62828' };
  const PALETTE = ['#3b6fb6', '#e07b39', '#4caf50', '#8e6bb5', '#d4a017', '#26a69a', '#ef5350',
    '#78909c', '#a1887f', '#5c6bc0'];

  // --------------------------------------------------------------- formatting
  // Exact: the integer's digits, the decimal point placed by the scale.
  function formatMoney(minor, scale, currency) {
    if (minor === null || minor === undefined) return '–';
    const neg = minor < 0;
    let digits = String(Math.abs(minor));
    if (digits.indexOf('e') >= 0) digits = BigInt(Math.abs(minor)).toString();
    while (digits.length <= scale) digits = '0' + digits;
    const intPart = digits.slice(0, digits.length - scale);
    const frac = scale > 0 ? '.' + digits.slice(digits.length - scale) : '';
    const grouped = intPart.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
    return (neg ? '-' : '') + (currency || '') + grouped + frac;
  }
  // Axis labels: compact (万 / 亿 in zh, k / M / B in en).
  function formatShort(minor, scale, lang) {
    const v = minor / Math.pow(10, scale);
    const a = Math.abs(v);
    // Up to 2 significant decimals, trailing zeros dropped: 1.5k, 2k, 250万.
    const unit = (x, u) => String(Number(x.toFixed(Math.abs(x) >= 100 ? 0 : Math.abs(x) >= 10 ? 1 : 2))) + u;
    if (lang === 'zh') {
      if (a >= 1e8) return unit(v / 1e8, '亿');
      if (a >= 1e4) return unit(v / 1e4, '万');
      return unit(v, '');
    }
    if (a >= 1e9) return unit(v / 1e9, 'B');
    if (a >= 1e6) return unit(v / 1e6, 'M');
    if (a >= 1e3) return unit(v / 1e3, 'k');
    return unit(v, '');
  }
  function formatPct(v, digits) {
    if (v === null || v === undefined || !isFinite(v)) return '–';
    return v.toFixed(digits === undefined ? 1 : digits) + '%';
  }
  function formatCount(v) {
    if (v === null || v === undefined) return '–';
    return String(v).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  }
  function escapeHtml(s) {
    return String(s).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);
  }

  // -------------------------------------------------------------------- state
  function defaultState(doc) {
    const f = doc.filters && doc.filters.months ? doc.filters : null;
    const months = f ? f.months : [];
    return {
      fromMonth: f ? months.indexOf(f.period.from) : 0,
      toMonth: f ? months.indexOf(f.period.to) : 0,
      region: null, salesperson: null, category: null, channel: null,
      grain: 'month', productMetric: 'revenue', drillRegion: null, productCategory: null,
      tier: null, funnelBy: '', sortKey: 'rank', sortDir: 1,
    };
  }
  function periodChanged(doc, s) {
    const d = defaultState(doc);
    return s.fromMonth !== d.fromMonth || s.toMonth !== d.toMonth;
  }
  const FILTER_DIMS = ['region', 'salesperson', 'category', 'channel'];
  function activeDims(s) { return FILTER_DIMS.filter((d) => s[d] !== null && s[d] !== undefined); }
  function isFiltered(doc, s) { return activeDims(s).length > 0 || periodChanged(doc, s); }

  function labelOf(doc, dim, id) {
    const labels = doc.filters && doc.filters.labels && doc.filters.labels[dim];
    if (!labels) return String(id);
    const l = labels[String(id)];
    return l === undefined ? String(id) : l;
  }

  // ---------------------------------------------------------------- the cubes
  // Rows of a cube as objects keyed by its column names.
  function cubeRows(cube) {
    if (!cube || !cube.rows) return [];
    if (cube._objects) return cube._objects;
    const cols = cube.columns;
    cube._objects = cube.rows.map((r) => {
      const o = {};
      for (let i = 0; i < cols.length; ++i) o[cols[i]] = r[i];
      return o;
    });
    return cube._objects;
  }
  // The cube the filters can be answered from, the rows passing them (month
  // shifted back by `shift` months for last year), and the dims it ignores.
  function selectRows(doc, s, shift, except) {
    const f = doc.filters;
    const cube = s.salesperson !== null ? f.people : f.sales;
    const cols = cube.columns;
    const dims = activeDims(s).filter((d) => d !== except);
    const applied = dims.filter((d) => cols.indexOf(d) >= 0);
    const ignored = dims.filter((d) => cols.indexOf(d) < 0);
    const lo = s.fromMonth - shift;
    const hi = s.toMonth - shift;
    const rows = cubeRows(cube).filter((r) => {
      if (r.month < lo || r.month > hi) return false;
      for (const d of applied) if (String(r[d]) !== String(s[d])) return false;
      return true;
    });
    return { rows, ignored };
  }
  function sum(rows, key) { let x = 0; for (const r of rows) x += r[key]; return x; }
  // A salesperson's region: where the most of their revenue is.
  function salespersonRegions(doc) {
    const f = doc.filters;
    if (!f || !f.people) return {};
    if (f._spRegion) return f._spRegion;
    const best = {};
    for (const r of cubeRows(f.people)) {
      const k = String(r.salesperson);
      best[k] = best[k] || {};
      best[k][r.region] = (best[k][r.region] || 0) + r.revenue;
    }
    const out = {};
    for (const k of Object.keys(best)) {
      let top = null;
      for (const reg of Object.keys(best[k])) if (top === null || best[k][reg] > best[k][top]) top = reg;
      out[k] = top;
    }
    f._spRegion = out;
    return out;
  }
  // The region filter in effect: the region, or the salesperson's region.
  function effectiveRegionLabel(doc, s) {
    if (s.region !== null) return labelOf(doc, 'region', s.region);
    if (s.salesperson !== null) {
      const r = salespersonRegions(doc)[String(s.salesperson)];
      return r === undefined ? null : labelOf(doc, 'region', r);
    }
    return null;
  }
  function notes(doc, s, applied, ignored) {
    const out = [];
    if (applied.length) out.push(t(doc.lang, 'filtered_note', applied.join(', ')));
    if (ignored.length) out.push(t(doc.lang, 'ignored_note', ignored.join(', ')));
    return out.join(' ');
  }

  // ------------------------------------------------------------ chart helpers
  function baseOption(doc) {
    return {
      animation: false,
      textStyle: { fontFamily: FONT },
      color: PALETTE,
      tooltip: { trigger: 'axis', confine: true },
      grid: { left: 56, right: 56, top: 40, bottom: 40, containLabel: false },
    };
  }
  function moneyAxis(doc, name) {
    return { type: 'value', name: name, axisLabel: { formatter: (v) => formatShort(v, doc.money_scale, doc.lang) } };
  }
  // Tooltip rows: exact money for money series, percent for the rest.
  function axisTooltip(doc, kinds) {
    return function (params) {
      const list = Array.isArray(params) ? params : [params];
      if (!list.length) return '';
      let html = escapeHtml(list[0].axisValueLabel !== undefined ? list[0].axisValueLabel : list[0].name);
      for (const p of list) {
        const kind = kinds[p.seriesName] || 'money';
        const v = Array.isArray(p.value) ? p.value[p.value.length - 1] : p.value;
        const text = kind === 'money' ? formatMoney(v, doc.money_scale, doc.currency)
          : kind === 'percent' ? formatPct(v, 1) : formatCount(v);
        html += '<br>' + p.marker + escapeHtml(p.seriesName) + ': ' + escapeHtml(text);
      }
      return html;
    };
  }
  function noData(reason) { return { noData: reason }; }

  // -------------------------------------------------------------- the panels
  function trendPanel(doc, s) {
    const p = doc.panels.trend;
    if (p.status !== 'ok') return noData(p.reason);
    const L = doc.lang;
    let series = p.grains[s.grain];
    let note = '';
    if (isFiltered(doc, s) && s.grain === 'month' && doc.filters && doc.filters.sales) {
      const months = doc.filters.months;
      const cur = selectRows(doc, s, 0);
      const ly = selectRows(doc, s, 12);
      const n = s.toMonth - s.fromMonth + 1;
      const periods = [], revenue = [], lastYear = [], target = [], attainment = [], margin = [];
      for (let i = 0; i < n; ++i) {
        const m = s.fromMonth + i;
        periods.push(months[m]);
        revenue.push(sum(cur.rows.filter((r) => r.month === m), 'revenue'));
        margin.push(sum(cur.rows.filter((r) => r.month === m), 'margin'));
        lastYear.push(m - 12 >= 0 ? sum(ly.rows.filter((r) => r.month === m - 12), 'revenue') : null);
      }
      const tg = filteredTargets(doc, s, n);
      series = { periods, revenue, last_year: lastYear, margin };
      if (tg) {
        series.target = tg;
        series.attainment_pct = tg.map((x, i) => (x ? 100 * revenue[i] / x : null));
      }
      const applied = activeDims(s).filter((d) => cur.ignored.indexOf(d) < 0).map((d) => t(L, d));
      if (periodChanged(doc, s)) applied.push(t(L, 'period'));
      note = notes(doc, s, applied, cur.ignored.map((d) => t(L, d)));
    } else if (isFiltered(doc, s)) {
      note = t(L, 'week_day_note');
      if (s.grain === 'day' && doc.filters && doc.filters.months) {
        const lo = doc.filters.months[s.fromMonth], hi = doc.filters.months[s.toMonth];
        const keep = series.periods.map((d) => d.slice(0, 7) >= lo && d.slice(0, 7) <= hi);
        const pick = (a) => (a ? a.filter((_, i) => keep[i]) : a);
        series = { periods: pick(series.periods), revenue: pick(series.revenue),
          last_year: pick(series.last_year), target: pick(series.target),
          attainment_pct: pick(series.attainment_pct), margin: pick(series.margin) };
      }
    }
    const kinds = {};
    kinds[t(L, 'revenue')] = 'money';
    kinds[t(L, 'last_year')] = 'money';
    kinds[t(L, 'target')] = 'money';
    kinds[t(L, 'attainment')] = 'percent';
    const o = baseOption(doc);
    o.legend = { top: 4 };
    o.tooltip.formatter = axisTooltip(doc, kinds);
    o.xAxis = { type: 'category', data: series.periods };
    o.yAxis = [moneyAxis(doc, ''), { type: 'value', name: '%', splitLine: { show: false } }];
    o.series = [
      { id: 'revenue', name: t(L, 'revenue'), type: 'bar', data: series.revenue },
      { id: 'last_year', name: t(L, 'last_year'), type: 'line', data: series.last_year, symbolSize: 4 },
    ];
    if (series.target) {
      o.series.push({ id: 'target', name: t(L, 'target'), type: 'line', data: series.target,
        lineStyle: { type: 'dashed' }, symbolSize: 4 });
      o.series.push({ id: 'attainment', name: t(L, 'attainment'), type: 'line', yAxisIndex: 1,
        data: series.attainment_pct.map((v) => (v === null ? null : Math.round(v * 10) / 10)),
        symbolSize: 3, lineStyle: { width: 1 } });
    }
    if (series.periods.length > 60) o.dataZoom = [{ type: 'inside' }, { type: 'slider', height: 14, bottom: 4 }];
    const header = ['period', 'revenue', 'last_year'].concat(series.target ? ['target', 'attainment_pct'] : []);
    const rows = series.periods.map((per, i) => [per, series.revenue[i], series.last_year[i]]
      .concat(series.target ? [series.target[i], series.attainment_pct[i]] : []));
    return { option: o, csv: { header, rows }, note: note || (p.target_reason ? t(L, 'target') + ': ' + p.target_reason : '') };
  }

  // Targets per month of [fromMonth, toMonth] under the filters, or null
  // when the filters cannot be answered from the targets' level.
  function filteredTargets(doc, s, n) {
    const tg = doc.filters.targets;
    if (!tg || s.category !== null || s.channel !== null) return null;
    const level = tg.level;
    const spRegion = salespersonRegions(doc);
    const out = new Array(n).fill(0);
    for (const r of cubeRows(tg)) {
      if (r.month < s.fromMonth || r.month > s.toMonth) continue;
      const key = String(r[level]);
      if (level === 'salesperson') {
        if (s.salesperson !== null && key !== String(s.salesperson)) continue;
        if (s.region !== null && spRegion[key] !== String(s.region)) continue;
      } else {
        if (s.salesperson !== null) return null;
        if (s.region !== null && key !== String(s.region)) continue;
      }
      out[r.month - s.fromMonth] += r.target;
    }
    return out;
  }

  function regionPanel(doc, s) {
    const p = doc.panels.region_share;
    if (p.status !== 'ok') return noData(p.reason);
    const L = doc.lang;
    let items = p.items.map((it) => ({ id: it.id, label: it.label, revenue: it.revenue }));
    let note = '';
    const filtered = isFiltered(doc, s) && doc.filters && doc.filters.sales;
    if (filtered) {
      const sel = selectRows(doc, s, 0, 'region');
      const by = {};
      for (const r of sel.rows) by[r.region] = (by[r.region] || 0) + r.revenue;
      items = Object.keys(by).map(Number).sort((a, b) => a - b)
        .map((id) => ({ id, label: labelOf(doc, 'region', id), revenue: by[id] }));
      note = notes(doc, s, [], sel.ignored.map((d) => t(L, d)));
    }
    if (s.drillRegion !== null) return regionDrill(doc, s, items, note);
    const kinds = {};
    const o = baseOption(doc);
    o.tooltip = { trigger: 'item', confine: true, formatter: (q) => escapeHtml(q.name) + '<br>' +
      escapeHtml(formatMoney(q.value, doc.money_scale, doc.currency)) + ' (' + q.percent.toFixed(1) + '%)' };
    o.legend = { type: 'scroll', orient: 'vertical', right: 8, top: 20 };
    const selected = s.region !== null ? labelOf(doc, 'region', s.region) : null;
    o.series = [{ id: 'region_share', name: t(L, 'region_share'), type: 'pie', radius: ['40%', '72%'],
      center: ['40%', '55%'], selectedMode: 'single',
      label: { formatter: '{b}\n{d}%' },
      data: items.map((it) => ({ name: it.label, value: it.revenue, selected: it.label === selected })) }];
    void kinds;
    return { option: o, csv: { header: ['region', 'revenue'], rows: items.map((it) => [it.label, it.revenue]) },
      note: note || t(L, 'drill_hint'), crumbs: [t(L, 'all_regions')] };
  }

  function regionDrill(doc, s, items, note) {
    const p = doc.panels.region_share;
    const L = doc.lang;
    const top = p.drill && p.drill[s.drillRegion];
    let list = top ? top.items.map((x) => ({ label: x.label, revenue: x.revenue })) : [];
    let others = top ? top.others : { count: 0, revenue: 0 };
    if (isFiltered(doc, s) && doc.filters && doc.filters.people) {
      const regionId = items.filter((it) => it.label === s.drillRegion).map((it) => it.id)[0];
      const by = {};
      for (const r of cubeRows(doc.filters.people)) {
        if (r.month < s.fromMonth || r.month > s.toMonth || r.region !== regionId) continue;
        if (s.salesperson !== null && String(r.salesperson) !== String(s.salesperson)) continue;
        by[r.salesperson] = (by[r.salesperson] || 0) + r.revenue;
      }
      const all = Object.keys(by).map((id) => ({ id: Number(id), label: labelOf(doc, 'salesperson', id), revenue: by[id] }))
        .sort((a, b) => (b.revenue - a.revenue) || (a.id - b.id));
      const n = top ? Math.max(top.items.length, 10) : 10;
      list = all.slice(0, n);
      others = { count: all.length - list.length, revenue: sum(all.slice(n), 'revenue') };
    }
    const labels = list.map((x) => x.label);
    const values = list.map((x) => x.revenue);
    if (others.count > 0) {
      labels.push(t(L, 'others', others.count));
      values.push(others.revenue);
    }
    const kinds = {};
    kinds[t(L, 'revenue')] = 'money';
    const o = baseOption(doc);
    o.tooltip.formatter = axisTooltip(doc, kinds);
    o.grid = { left: 110, right: 24, top: 16, bottom: 28 };
    o.xAxis = moneyAxis(doc, '');
    o.yAxis = { type: 'category', inverse: true, data: labels };
    o.series = [{ id: 'salespeople', name: t(L, 'revenue'), type: 'bar', data: values }];
    return { option: o, csv: { header: ['salesperson', 'revenue'], rows: labels.map((l, i) => [l, values[i]]) },
      note, crumbs: [t(L, 'all_regions'), s.drillRegion] };
  }

  function productPanel(doc, s) {
    const p = doc.panels.product_ranking;
    if (p.status !== 'ok') return noData(p.reason);
    const L = doc.lang;
    let lists = p.top;
    const applied = [], ignored = [];
    const category = s.productCategory !== null ? s.productCategory
      : (s.category !== null ? labelOf(doc, 'category', s.category) : null);
    if (category !== null && p.by.category) {
      lists = p.by.category[category] || { by_revenue: [], by_margin: [] };
      if (s.category !== null) applied.push(t(L, 'category'));
    } else if (s.region !== null && p.by.region) {
      lists = p.by.region[labelOf(doc, 'region', s.region)] || { by_revenue: [], by_margin: [] };
      applied.push(t(L, 'region'));
    } else if (s.channel !== null && p.by.channel) {
      lists = p.by.channel[labelOf(doc, 'channel', s.channel)] || { by_revenue: [], by_margin: [] };
      applied.push(t(L, 'channel'));
    }
    for (const d of activeDims(s)) if (applied.indexOf(t(L, d)) < 0) ignored.push(t(L, d));
    if (periodChanged(doc, s)) ignored.push(t(L, 'period'));
    const list = s.productMetric === 'margin' ? lists.by_margin : lists.by_revenue;
    const metric = s.productMetric === 'margin' ? 'margin' : 'revenue';
    const kinds = {};
    kinds[t(L, metric)] = 'money';
    kinds[t(L, 'margin_pct')] = 'percent';
    const o = baseOption(doc);
    o.legend = { top: 4 };
    o.tooltip.formatter = axisTooltip(doc, kinds);
    o.grid = { left: 56, right: 56, top: 40, bottom: 70 };
    o.xAxis = { type: 'category', data: list.map((x) => x.label), axisLabel: { rotate: 35, fontSize: 10 } };
    o.yAxis = [moneyAxis(doc, ''), { type: 'value', name: '%', splitLine: { show: false } }];
    o.series = [
      { id: 'products', name: t(L, metric), type: 'bar',
        data: list.map((x) => ({ value: x[metric], itemStyle: { color: ABC_COLORS[x.abc] || PALETTE[0] } })) },
      { id: 'margin_pct', name: t(L, 'margin_pct'), type: 'line', yAxisIndex: 1,
        data: list.map((x) => (x.margin_pct === null ? null : Math.round(x.margin_pct * 10) / 10)) },
    ];
    const crumbs = [t(L, 'all_products')];
    if (s.productCategory !== null) crumbs.push(s.productCategory);
    return { option: o,
      csv: { header: ['product', 'category', 'revenue', 'margin', 'margin_pct', 'abc'],
        rows: list.map((x) => [x.label, x.category, x.revenue, x.margin, x.margin_pct, x.abc]) },
      note: notes(doc, s, applied, ignored), crumbs,
      categories: (p.categories || []).map((c) => c.label), slow: p.slow_movers };
  }

  function funnelPanel(doc, s) {
    const p = doc.panels.funnel;
    if (p.status !== 'ok') return noData(p.reason);
    const L = doc.lang;
    let group = p.overall;
    let note = '';
    if (s.funnelBy) {
      const at = s.funnelBy.indexOf(':');
      const dim = s.funnelBy.slice(0, at), member = s.funnelBy.slice(at + 1);
      if (p.by[dim] && p.by[dim][member]) group = p.by[dim][member];
    } else {
      const region = effectiveRegionLabel(doc, s);
      if (region !== null && p.by.region && p.by.region[region]) {
        group = p.by.region[region];
        note = t(L, 'filtered_note', s.salesperson !== null ? t(L, 'region_of_salesperson') + ' (' + region + ')' : region);
      }
      const ignored = activeDims(s).filter((d) => d === 'category' || d === 'channel').map((d) => t(L, d));
      if (periodChanged(doc, s)) ignored.push(t(L, 'period'));
      if (ignored.length) note += (note ? ' ' : '') + t(L, 'ignored_note', ignored.join(', '));
    }
    const stages = group.stages;
    const kinds = {};
    kinds[t(L, 'count')] = 'count';
    const o = baseOption(doc);
    o.tooltip.formatter = function (params) {
      const q = Array.isArray(params) ? params[0] : params;
      const st = stages[q.dataIndex];
      return escapeHtml(st.name) + '<br>' + escapeHtml(t(L, 'count')) + ': ' + formatCount(st.count) +
        '<br>' + escapeHtml(t(L, 'step_conversion')) + ': ' + formatPct(st.step_conversion === null ? null : 100 * st.step_conversion) +
        '<br>' + escapeHtml(t(L, 'cumulative_conversion')) + ': ' + formatPct(st.cumulative_conversion === null ? null : 100 * st.cumulative_conversion) +
        '<br>' + escapeHtml(t(L, 'median_days')) + ': ' + (st.median_days === null ? '–' : st.median_days.toFixed(1)) +
        (st.bottleneck ? '<br><b>' + escapeHtml(t(L, 'bottleneck')) + '</b>' : '');
    };
    o.grid = { left: 90, right: 120, top: 16, bottom: 24 };
    o.xAxis = { type: 'value' };
    o.yAxis = { type: 'category', inverse: true, data: stages.map((x) => x.name) };
    o.series = [{ id: 'stages', name: t(L, 'count'), type: 'bar',
      data: stages.map((x) => ({ value: x.count, itemStyle: { color: x.bottleneck ? '#c62828' : PALETTE[0] } })),
      label: { show: true, position: 'right',
        formatter: (q) => { const st = stages[q.dataIndex];
          return formatCount(st.count) + (st.step_conversion === null ? '' : '  ' + formatPct(100 * st.step_conversion)) +
            (st.bottleneck ? ' !' : ''); } } }];
    if (group.bottlenecks && group.bottlenecks.length) note += (note ? ' ' : '') + group.bottlenecks.join(' ');
    return { option: o,
      csv: { header: ['stage', 'count', 'step_conversion', 'cumulative_conversion', 'median_days', 'bottleneck'],
        rows: stages.map((x) => [x.name, x.count, x.step_conversion, x.cumulative_conversion, x.median_days, x.bottleneck]) },
      note, selector: p.by };
  }

  function customerPanel(doc, s) {
    const p = doc.panels.customer_value;
    if (p.status !== 'ok') return noData(p.reason);
    const L = doc.lang;
    let tiers = p.tiers.map((x) => ({ label: x.label, customers: x.customers, revenue: x.revenue, revenue_share: x.revenue_share }));
    let note = '';
    // Per member: customers and revenue per tier, parallel to the tiers.
    const dim = s.salesperson !== null ? 'salesperson' : s.region !== null ? 'region' : null;
    if (dim !== null && p.by[dim]) {
      const g = p.by[dim][labelOf(doc, dim, s[dim])];
      const total = g ? g.revenue.reduce((a, b) => a + b, 0) : 0;
      tiers = tiers.map((x, i) => ({ label: x.label, customers: g ? g.customers[i] : 0, revenue: g ? g.revenue[i] : 0,
        revenue_share: g && total > 0 ? g.revenue[i] / total : null }));
      note = t(L, 'filtered_note', t(L, dim));
    }
    const ignored = activeDims(s).filter((d) => d === 'category' || d === 'channel').map((d) => t(L, d));
    if (periodChanged(doc, s)) ignored.push(t(L, 'period'));
    if (ignored.length) note += (note ? ' ' : '') + t(L, 'ignored_note', ignored.join(', '));
    const o = baseOption(doc);
    o.tooltip = { trigger: 'item', confine: true, formatter: (q) => {
      if (q.seriesId === 'pareto') return escapeHtml(t(L, 'customer_share')) + ' ' + formatPct(q.value[0]) + ' → ' + formatPct(q.value[1]);
      const x = tiers[q.dataIndex];
      return escapeHtml(x.label) + '<br>' + escapeHtml(t(L, 'customers')) + ': ' + formatCount(x.customers) +
        '<br>' + escapeHtml(t(L, 'revenue')) + ': ' + escapeHtml(formatMoney(x.revenue, doc.money_scale, doc.currency)) +
        '<br>' + escapeHtml(t(L, 'revenue_share')) + ': ' + formatPct(x.revenue_share === null ? null : 100 * x.revenue_share);
    } };
    o.grid = [{ left: 96, width: '42%', top: 30, bottom: 30 }, { right: 24, width: '36%', top: 30, bottom: 40 }];
    o.title = [{ text: t(L, 'customer_value'), show: false }, { text: t(L, 'pareto'), right: 24, top: 0, textStyle: { fontSize: 12 } }];
    o.xAxis = [{ type: 'value', gridIndex: 0 }, { type: 'value', gridIndex: 1, min: 0, max: 100, name: '%' }];
    o.yAxis = [{ type: 'category', gridIndex: 0, inverse: true, data: tiers.map((x) => x.label) },
      { type: 'value', gridIndex: 1, min: 0, max: 100 }];
    o.series = [{ id: 'tiers', name: t(L, 'customers'), type: 'bar', xAxisIndex: 0, yAxisIndex: 0,
      data: tiers.map((x, i) => ({ value: x.customers, itemStyle: { color: PALETTE[i % PALETTE.length] } })),
      label: { show: true, position: 'right', formatter: (q) => formatCount(tiers[q.dataIndex].customers) + ' · ' +
        formatPct(tiers[q.dataIndex].revenue_share === null ? null : 100 * tiers[q.dataIndex].revenue_share) } }];
    if (p.pareto) {
      o.series.push({ id: 'pareto', name: t(L, 'pareto'), type: 'line', xAxisIndex: 1, yAxisIndex: 1, symbolSize: 3,
        data: [[0, 0]].concat(p.pareto.points.map((q) => [Math.round(1000 * q.customer_share) / 10,
          q.revenue_share === null ? null : Math.round(1000 * q.revenue_share) / 10])) });
    }
    const top = s.tier !== null ? p.top_customers[s.tier] || [] : null;
    return { option: o,
      csv: { header: ['tier', 'customers', 'revenue', 'revenue_share'], rows: tiers.map((x) => [x.label, x.customers, x.revenue, x.revenue_share]) },
      note: note || t(L, 'tiers_note'), top, crumbs: s.tier !== null ? [t(L, 'all_tiers'), p.tiers[s.tier].label] : [t(L, 'all_tiers')],
      top20: p.pareto ? p.pareto.top20_share : null };
  }

  function leaderboardPanel(doc, s) {
    const p = doc.panels.leaderboard;
    if (p.status !== 'ok') return noData(p.reason);
    const L = doc.lang;
    let rows = p.rows.map((r) => Object.assign({}, r));
    const applied = [], ignored = [];
    if (s.region !== null) {
      const spRegion = salespersonRegions(doc);
      rows = rows.filter((r) => spRegion[String(r.id)] === String(s.region));
      applied.push(t(L, 'region'));
    }
    if (s.salesperson !== null) {
      rows = rows.filter((r) => String(r.id) === String(s.salesperson));
      applied.push(t(L, 'salesperson'));
    }
    if (periodChanged(doc, s) && doc.filters && doc.filters.people) {
      const rev = {}, mar = {};
      for (const r of cubeRows(doc.filters.people)) {
        if (r.month < s.fromMonth || r.month > s.toMonth) continue;
        rev[r.salesperson] = (rev[r.salesperson] || 0) + r.revenue;
        mar[r.salesperson] = (mar[r.salesperson] || 0) + r.margin;
      }
      rows = rows.map((r) => Object.assign(r, { revenue: rev[r.id] || 0, margin: mar[r.id] || 0 }));
      applied.push(t(L, 'period') + ' (' + t(L, 'revenue') + ', ' + t(L, 'margin') + ')');
    }
    for (const d of ['category', 'channel']) if (s[d] !== null) ignored.push(t(L, d));
    const key = s.sortKey, dir = s.sortDir;
    rows.sort((a, b) => {
      const x = a[key], y = b[key];
      if (x === y) return a.rank - b.rank;
      if (x === null) return 1;
      if (y === null) return -1;
      return (x < y ? -1 : 1) * dir * (key === 'rank' || key === 'label' ? 1 : -1);
    });
    const chartRows = rows.slice().sort((a, b) => (b.revenue - a.revenue) || (a.rank - b.rank)).slice(0, 15);
    const kinds = {};
    kinds[t(L, 'revenue')] = 'money';
    const o = baseOption(doc);
    o.tooltip.formatter = axisTooltip(doc, kinds);
    o.grid = { left: 80, right: 24, top: 16, bottom: 24 };
    o.xAxis = moneyAxis(doc, '');
    o.yAxis = { type: 'category', inverse: true, data: chartRows.map((r) => r.label) };
    o.series = [{ id: 'leaderboard', name: t(L, 'revenue'), type: 'bar', data: chartRows.map((r) => r.revenue) }];
    const header = ['rank', 'salesperson', 'revenue', 'margin', 'orders', 'won', 'win_rate', 'collection_rate', 'target', 'attainment'];
    return { option: o, rows,
      csv: { header, rows: rows.map((r) => [r.rank, r.label, r.revenue, r.margin, r.orders, r.won, r.win_rate, r.collection_rate, r.target, r.attainment]) },
      note: notes(doc, s, applied, ignored) };
  }

  function collectionPanel(doc, s) {
    const p = doc.panels.collection;
    if (p.status !== 'ok') return noData(p.reason);
    const L = doc.lang;
    let periods = p.monthly.periods;
    let rate = p.monthly.collection_rate.map((v) => (v === null ? null : Math.round(1000 * v) / 10));
    let agingLabels = [t(L, 'all')];
    let aging = [p.aging_total];
    const applied = [], ignored = [];
    const region = s.region !== null ? labelOf(doc, 'region', s.region) : null;
    if (region !== null && p.by.region_monthly) {
      const g = p.by.region_monthly[region];
      rate = g ? g.billed.map((b, i) => (b > 0 ? Math.round(1000 * g.collected[i] / b) / 10 : null)) : rate.map(() => null);
      applied.push(t(L, 'region'));
    }
    if (s.salesperson !== null && p.by.salesperson) {
      const label = labelOf(doc, 'salesperson', s.salesperson);
      agingLabels = [label];
      aging = [p.by.salesperson[label] || p.buckets.map(() => 0)];
      applied.push(t(L, 'salesperson'));
    } else if (region !== null && p.by.region) {
      agingLabels = [region];
      aging = [p.by.region[region] || p.buckets.map(() => 0)];
    } else if (p.by.region) {
      agingLabels = Object.keys(p.by.region);
      aging = agingLabels.map((k) => p.by.region[k]);
    }
    if (periodChanged(doc, s) && doc.filters) {
      const lo = doc.filters.months[s.fromMonth], hi = doc.filters.months[s.toMonth];
      const keep = periods.map((m) => m >= lo && m <= hi);
      periods = periods.filter((_, i) => keep[i]);
      rate = rate.filter((_, i) => keep[i]);
      applied.push(t(L, 'period'));
    }
    for (const d of ['category', 'channel']) if (s[d] !== null) ignored.push(t(L, d));
    const kinds = {};
    kinds[t(L, 'collection_rate')] = 'percent';
    for (const b of p.buckets) kinds[b] = 'money';
    const o = baseOption(doc);
    o.legend = { top: 2, type: 'scroll' };
    o.tooltip.formatter = axisTooltip(doc, kinds);
    o.grid = [{ left: 48, width: '40%', top: 44, bottom: 40 }, { right: 16, width: '44%', top: 44, bottom: 40, left: '54%' }];
    o.xAxis = [{ type: 'category', gridIndex: 0, data: periods }, { type: 'category', gridIndex: 1, data: agingLabels,
      axisLabel: { interval: 0, rotate: agingLabels.length > 4 ? 30 : 0, fontSize: 10 } }];
    o.yAxis = [{ type: 'value', gridIndex: 0, name: '%', min: (v) => Math.max(0, Math.floor(v.min - 5)), max: 100 },
      { type: 'value', gridIndex: 1, axisLabel: { formatter: (v) => formatShort(v, doc.money_scale, L) } }];
    o.series = [{ id: 'collection_rate', name: t(L, 'collection_rate'), type: 'line', xAxisIndex: 0, yAxisIndex: 0, data: rate }];
    p.buckets.forEach((b, k) => o.series.push({ id: 'aging_' + b, name: b, type: 'bar', stack: 'aging',
      xAxisIndex: 1, yAxisIndex: 1, data: aging.map((a) => a[k]) }));
    return { option: o,
      csv: { header: ['group'].concat(p.buckets), rows: agingLabels.map((l, i) => [l].concat(aging[i])) },
      note: notes(doc, s, applied, ignored), summary: p };
  }

  const PANELS = [
    ['trend', trendPanel], ['region_share', regionPanel], ['product_ranking', productPanel],
    ['funnel', funnelPanel], ['customer_value', customerPanel], ['leaderboard', leaderboardPanel],
    ['collection', collectionPanel],
  ];

  function buildPanels(doc, state) {
    const out = {};
    for (const [id, build] of PANELS) out[id] = build(doc, state);
    return out;
  }

  // KPI cards under the filters: revenue and margin re-aggregate; the rest
  // keep the document's figures (marked "all data" while filtered).
  function buildKpis(doc, s) {
    const filtered = isFiltered(doc, s) && doc.filters && doc.filters.sales;
    return doc.kpis.map((k) => {
      const card = Object.assign({}, k);
      if (!filtered || k.status === 'no_data') return card;
      if (k.id === 'revenue' || k.id === 'gross_margin_pct') {
        const cur = selectRows(doc, s, 0), ly = selectRows(doc, s, 12);
        if (k.id === 'revenue') {
          card.value = sum(cur.rows, 'revenue');
          card.last_year = s.fromMonth >= 12 ? sum(ly.rows, 'revenue') : null;
          const tg = filteredTargets(doc, s, s.toMonth - s.fromMonth + 1);
          card.target = tg ? tg.reduce((a, b) => a + b, 0) : undefined;
        } else {
          const c = sum(cur.rows, 'costed_revenue'), lc = sum(ly.rows, 'costed_revenue');
          card.value = c ? 100 * sum(cur.rows, 'margin') / c : null;
          card.last_year = lc && s.fromMonth >= 12 ? 100 * sum(ly.rows, 'margin') / lc : null;
        }
        card.change_pct = card.value !== null && card.last_year ? 100 * (card.value - card.last_year) / Math.abs(card.last_year) : null;
      } else {
        card.unfiltered = true;
      }
      return card;
    });
  }

  function changeWords(doc, k) {
    const L = doc.lang;
    if (k.kind === 'percent') {
      if (k.value === null || k.last_year === null) return t(L, 'no_base');
      const d = k.value - k.last_year;
      if (Math.abs(d) < 0.05) return t(L, 'flat');
      return t(L, d > 0 ? 'points_up' : 'points_down', Math.abs(d).toFixed(1));
    }
    if (k.change_pct === null || k.change_pct === undefined) return t(L, 'no_base');
    if (Math.abs(k.change_pct) < 0.05) return t(L, 'flat');
    return t(L, k.change_pct > 0 ? 'up' : 'down', Math.abs(k.change_pct).toFixed(1) + '%');
  }
  // The card's "why" line (the full sentence goes in its title): the top
  // driver's members (华东 × 办公用品, as the drivers' sentence names them; the
  // dimension names are in the sentence) and how much of the change it
  // explains.
  function whyMembers(combination) {
    return combination.split('&').map((p) => p.slice(p.indexOf('=') + 1));
  }
  function whyLine(doc, why) {
    const L = doc.lang;
    if (why.combination === null) return t(L, 'why', t(L, 'why_none'));
    const share = why.share === null ? '' : ' · ' + t(L, 'why_share', formatPct(100 * why.share, 0));
    return t(L, 'why', whyMembers(why.combination).join(' × ')) + share;
  }
  // The alerts of a card (or the strip) at most `n`, in the calculator's
  // order (severity first), and how many more there are.
  const ALERTS_SHOWN = 3;
  function alertCount(doc, n) {
    return n === 1 ? t(doc.lang, 'alert_one') : t(doc.lang, 'alerts_count', n);
  }
  function kpiValue(doc, k) {
    if (k.kind === 'money') return formatMoney(k.value, doc.money_scale, doc.currency);
    if (k.kind === 'percent') return formatPct(k.value);
    return formatCount(k.value);
  }

  // ------------------------------------------------------------------- the DOM
  function el(tag, cls, text) {
    const e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined && text !== null) e.textContent = String(text);
    return e;
  }
  function csvText(csv) {
    const cell = (v) => {
      if (v === null || v === undefined) return '';
      const s = String(v);
      return /[",\n\r]/.test(s) || /^[=+\-@]/.test(s) ? '"' + s.replace(/"/g, '""') + '"' : s;
    };
    return '\ufeff' + [csv.header].concat(csv.rows).map((r) => r.map(cell).join(',')).join('\r\n') + '\r\n';
  }
  function download(name, href) {
    const a = document.createElement('a');
    a.href = href;
    a.download = name;
    document.body.appendChild(a);
    a.click();
    a.remove();
  }

  function start(doc) {
    const L = doc.lang;
    const app = document.getElementById('app');
    const state = defaultState(doc);
    const charts = {};
    const view = {};

    const header = el('header', 'top');
    header.appendChild(el('h1', null, app.getAttribute('data-title') || doc.title));
    header.appendChild(el('div', 'period', t(L, 'period') + ' ' + doc.period.from + ' – ' + doc.period.to));
    app.appendChild(header);

    // Filters
    const bar = el('div', 'filters');
    bar.id = 'filters';
    const selects = {};
    function addSelect(name, options) {
      const wrap = el('label', 'filter');
      wrap.appendChild(el('span', null, t(L, name)));
      const sel = document.createElement('select');
      sel.id = 'filter-' + name;
      for (const [value, label] of options) {
        const o = document.createElement('option');
        o.value = value;
        o.textContent = label;
        sel.appendChild(o);
      }
      wrap.appendChild(sel);
      bar.appendChild(wrap);
      selects[name] = sel;
      return sel;
    }
    const months = doc.filters && doc.filters.months ? doc.filters.months : [];
    // The period's months (the list starts a year earlier, for last year).
    const monthOptions = months.map((m, i) => [String(i), m]).filter((_, i) => i >= defaultState(doc).fromMonth);
    if (months.length) {
      addSelect('from', monthOptions).value = String(state.fromMonth);
      addSelect('to', monthOptions).value = String(state.toMonth);
    }
    const labels = doc.filters && doc.filters.labels ? doc.filters.labels : {};
    for (const dim of FILTER_DIMS) {
      if (!labels[dim]) continue;
      const opts = [['', t(L, 'all')]].concat(Object.keys(labels[dim]).sort((a, b) => Number(a) - Number(b))
        .map((id) => [id, labels[dim][id]]));
      addSelect(dim, opts);
    }
    const reset = el('button', 'reset', t(L, 'reset'));
    reset.id = 'filter-reset';
    bar.appendChild(reset);
    app.appendChild(bar);

    bar.addEventListener('change', () => {
      if (selects.from) state.fromMonth = Number(selects.from.value);
      if (selects.to) state.toMonth = Number(selects.to.value);
      if (state.toMonth < state.fromMonth) { state.toMonth = state.fromMonth; selects.to.value = String(state.toMonth); }
      for (const dim of FILTER_DIMS) if (selects[dim]) state[dim] = selects[dim].value === '' ? null : selects[dim].value;
      state.drillRegion = null;
      render();
    });
    reset.addEventListener('click', () => {
      Object.assign(state, defaultState(doc));
      if (selects.from) selects.from.value = String(state.fromMonth);
      if (selects.to) selects.to.value = String(state.toMonth);
      for (const dim of FILTER_DIMS) if (selects[dim]) selects[dim].value = '';
      render();
    });

    // KPI cards
    const kpiRow = el('section', 'kpis');
    kpiRow.id = 'kpis';
    app.appendChild(kpiRow);
    const strip = el('section', 'alerts');
    strip.id = 'alerts';
    app.appendChild(strip);

    // Panels
    const grid = el('main', 'panels');
    app.appendChild(grid);
    for (const [id] of PANELS) {
      const card = el('section', 'panel');
      card.id = 'panel-' + id;
      card.setAttribute('data-panel', id);
      const head = el('div', 'panel-head');
      head.appendChild(el('h2', null, t(L, id)));
      const tools = el('div', 'tools');
      const csvButton = el('button', 'csv', t(L, 'csv'));
      const pngButton = el('button', 'png', t(L, 'png'));
      tools.appendChild(csvButton);
      tools.appendChild(pngButton);
      head.appendChild(tools);
      card.appendChild(head);
      const crumbs = el('nav', 'crumbs');
      card.appendChild(crumbs);
      const controls = el('div', 'controls');
      card.appendChild(controls);
      const chart = el('div', 'chart');
      card.appendChild(chart);
      const extra = el('div', 'extra');
      card.appendChild(extra);
      const note = el('p', 'note');
      card.appendChild(note);
      grid.appendChild(card);
      view[id] = { card, crumbs, controls, chart, extra, note };
      csvButton.addEventListener('click', () => {
        const spec = view[id].spec;
        if (!spec || !spec.csv) return;
        download('salesight-' + id + '.csv', 'data:text/csv;charset=utf-8,' + encodeURIComponent(csvText(spec.csv)));
      });
      pngButton.addEventListener('click', () => {
        if (!charts[id]) return;
        download('salesight-' + id + '.png', charts[id].getDataURL({ type: 'png', pixelRatio: 2, backgroundColor: '#fff' }));
      });
    }
    const foot = el('footer', 'foot', t(L, 'generated') + ' · ' + t(L, 'as_of') + ' ' + doc.period.as_of + ' · ' + t(L, 'licence'));
    app.appendChild(foot);

    function toggles(v, list, current, onPick) {
      for (const [value, label] of list) {
        const b = el('button', 'toggle' + (value === current ? ' on' : ''), label);
        b.setAttribute('data-value', value);
        b.addEventListener('click', () => onPick(value));
        v.controls.appendChild(b);
      }
    }
    function crumbsFor(v, items, onRoot) {
      v.crumbs.textContent = '';
      items.forEach((label, i) => {
        if (i > 0) v.crumbs.appendChild(el('span', 'sep', ' › '));
        const last = i === items.length - 1;
        const c = el(last ? 'span' : 'a', last ? 'crumb current' : 'crumb', label);
        if (!last) { c.href = '#'; c.addEventListener('click', (e) => { e.preventDefault(); onRoot(); }); }
        v.crumbs.appendChild(c);
      });
      if (items.length > 1) {
        const back = el('button', 'back', t(L, 'back'));
        back.addEventListener('click', onRoot);
        v.crumbs.appendChild(back);
      }
    }
    function table(header, rows, cls) {
      const tbl = el('table', cls || 'data');
      const thead = el('thead');
      const tr = el('tr');
      for (const h of header) tr.appendChild(el('th', null, h));
      thead.appendChild(tr);
      tbl.appendChild(thead);
      const tbody = el('tbody');
      for (const r of rows) {
        const row = el('tr');
        for (const c of r) row.appendChild(el('td', null, c));
        tbody.appendChild(row);
      }
      tbl.appendChild(tbody);
      return tbl;
    }

    function renderKpis() {
      kpiRow.textContent = '';
      for (const k of buildKpis(doc, state)) {
        const card = el('div', 'kpi');
        card.setAttribute('data-kpi', k.id);
        card.appendChild(el('div', 'kpi-name', t(L, 'kpi_' + k.id)));
        if (k.status === 'no_data') {
          card.appendChild(el('div', 'kpi-value muted', t(L, 'no_data')));
          card.appendChild(el('div', 'kpi-change', k.reason));
          kpiRow.appendChild(card);
          continue;
        }
        card.appendChild(el('div', 'kpi-value', kpiValue(doc, k)));
        const words = [changeWords(doc, k)];
        if (k.target) words.push(t(L, 'of_target', formatPct(100 * k.value / k.target)));
        if (k.unfiltered) words.push('(' + t(L, 'unfiltered_kpi') + ')');
        // Colour says good or bad: a rise of the overdue amount is bad news.
        const better = k.id === 'overdue' ? -k.change_pct : k.change_pct;
        card.appendChild(el('div', 'kpi-change ' + (better > 0 ? 'up' : better < 0 ? 'down' : ''), words.join(' · ')));
        // why and alerts come from the whole data: under a filter, say so
        // (short on the card, in full in the tooltip).
        const filtered = isFiltered(doc, state);
        const scope = filtered ? ' (' + t(L, 'for_all_regions') + ')' : '';
        const scopeLong = filtered ? ' (' + t(L, 'all_regions_scope') + ')' : '';
        if (k.why && k.why.status === 'ok') {
          const line = el('div', 'kpi-why', whyLine(doc, k.why) + scope);
          line.title = k.why.sentence + scopeLong;
          card.appendChild(line);
        }
        if (k.alerts && k.alerts.length) {
          const box = el('details', 'kpi-alerts sev-' + k.alerts[0].severity);
          const badge = el('summary', 'alert-badge', alertCount(doc, k.alerts.length) + scope);
          badge.title = k.alerts.slice(0, ALERTS_SHOWN).map((a) => a.sentence).join('\n') + scopeLong;
          box.appendChild(badge);
          box.appendChild(alertList(k.alerts));
          card.appendChild(box);
        }
        const spark = el('div', 'spark');
        card.appendChild(spark);
        kpiRow.appendChild(card);
        const chart = root.echarts.init(spark, null, { renderer: 'svg' });
        chart.setOption({ animation: false, grid: { left: 2, right: 2, top: 2, bottom: 2 },
          xAxis: { type: 'category', show: false, data: k.sparkline.periods },
          yAxis: { type: 'value', show: false, scale: true },
          tooltip: { trigger: 'axis', confine: true, formatter: (ps) => escapeHtml(ps[0].name) + ': ' +
            escapeHtml(k.kind === 'money' ? formatMoney(ps[0].value, doc.money_scale, doc.currency)
              : k.kind === 'percent' ? formatPct(ps[0].value) : formatCount(ps[0].value)) },
          series: [{ type: 'line', data: k.sparkline.values, symbol: 'none', lineStyle: { width: 1.5 }, areaStyle: { opacity: 0.12 } }] });
      }
    }

    function alertList(rows) {
      const list = el('ul', 'alert-list');
      for (const a of rows.slice(0, ALERTS_SHOWN)) {
        const item = el('li', 'sev-' + a.severity, a.sentence);
        item.setAttribute('data-severity', a.severity);
        list.appendChild(item);
      }
      if (rows.length > ALERTS_SHOWN) list.appendChild(el('li', 'more', t(L, 'alerts_more', rows.length - ALERTS_SHOWN)));
      return list;
    }
    // The alerts of KPIs without a card (and why there are none, if so).
    function renderAlertStrip() {
      strip.textContent = '';
      const a = doc.alerts;
      if (!a) { strip.style.display = 'none'; return; }
      const head = el('div', 'alerts-head');
      head.appendChild(el('strong', null, t(L, 'alerts')));
      if (a.status !== 'ok') {
        head.appendChild(el('span', 'muted', t(L, 'no_data') + ': ' + a.reason));
        strip.appendChild(head);
        return;
      }
      const scope = isFiltered(doc, state) ? ' (' + t(L, 'all_regions_scope') + ')' : '';
      head.appendChild(el('span', 'muted', t(L, 'alerts_period', a.period) + ' · ' +
        (a.total ? alertCount(doc, a.total) : t(L, 'alerts_none')) + scope));
      strip.appendChild(head);
      if (a.others.length) strip.appendChild(alertList(a.others));
    }

    function render() {
      renderKpis();
      renderAlertStrip();
      const specs = buildPanels(doc, state);
      for (const [id] of PANELS) {
        const v = view[id];
        const spec = specs[id];
        v.spec = spec;
        v.controls.textContent = '';
        v.extra.textContent = '';
        v.crumbs.textContent = '';
        if (spec.noData) {
          if (charts[id]) { charts[id].dispose(); delete charts[id]; }
          v.chart.style.display = 'none';
          v.card.setAttribute('data-status', 'no_data');
          v.note.textContent = t(L, 'no_data') + ': ' + spec.noData;
          continue;
        }
        v.card.setAttribute('data-status', 'ok');
        v.chart.style.display = '';
        if (!charts[id]) {
          charts[id] = root.echarts.init(v.chart, null, { renderer: 'canvas' });
          charts[id].on('click', (e) => onChartClick(id, e));
        }
        charts[id].setOption(spec.option, true);
        v.note.textContent = spec.note || '';
        decorate(id, v, spec);
      }
      root.__salesight.state = state;
    }

    function onChartClick(id, e) {
      if (id === 'region_share' && state.drillRegion === null && e.seriesType === 'pie') {
        state.drillRegion = e.name;
        render();
      } else if (id === 'customer_value' && e.seriesId === 'tiers') {
        state.tier = e.dataIndex;
        render();
      }
    }

    function decorate(id, v, spec) {
      if (id === 'trend') {
        toggles(v, [['month', t(L, 'month')], ['week', t(L, 'week')], ['day', t(L, 'day')]], state.grain,
          (g) => { state.grain = g; render(); });
      } else if (id === 'region_share') {
        crumbsFor(v, spec.crumbs, () => { state.drillRegion = null; render(); });
      } else if (id === 'product_ranking') {
        toggles(v, [['revenue', t(L, 'by_revenue')], ['margin', t(L, 'by_margin')]], state.productMetric,
          (m) => { state.productMetric = m; render(); });
        crumbsFor(v, spec.crumbs, () => { state.productCategory = null; render(); });
        if (spec.categories.length) {
          const chips = el('div', 'chips');
          chips.appendChild(el('span', 'hint', t(L, 'category_hint')));
          for (const c of spec.categories) {
            const b = el('button', 'chip' + (c === state.productCategory ? ' on' : ''), c);
            b.addEventListener('click', () => { state.productCategory = c; render(); });
            chips.appendChild(b);
          }
          v.extra.appendChild(chips);
        }
        if (spec.slow && spec.slow.items) {
          const box = el('div', 'slow');
          box.appendChild(el('h3', null, t(L, 'slow_movers') + ' (' + formatCount(spec.slow.count) + ')'));
          box.appendChild(table([t(L, 'product_ranking'), t(L, 'days_since_sale')],
            spec.slow.items.map((x) => [x.label, x.days_since_sale === null ? t(L, 'never_sold') : x.days_since_sale])));
          v.extra.appendChild(box);
        }
      } else if (id === 'funnel') {
        const wrap = el('label', 'filter');
        wrap.appendChild(el('span', null, t(L, 'funnel_source')));
        const sel = document.createElement('select');
        sel.className = 'funnel-by';
        const add = (value, label) => { const o = document.createElement('option'); o.value = value; o.textContent = label; sel.appendChild(o); };
        add('', t(L, 'overall'));
        for (const dim of Object.keys(spec.selector || {})) {
          for (const member of Object.keys(spec.selector[dim])) add(dim + ':' + member, t(L, dim) + ': ' + member);
        }
        sel.value = state.funnelBy;
        sel.addEventListener('change', () => { state.funnelBy = sel.value; render(); });
        wrap.appendChild(sel);
        v.controls.appendChild(wrap);
      } else if (id === 'customer_value') {
        crumbsFor(v, spec.crumbs, () => { state.tier = null; render(); });
        if (spec.top20 !== null && spec.top20 !== undefined) {
          v.extra.appendChild(el('p', 'hint', t(L, 'top20') + ' ' + formatPct(100 * spec.top20)));
        }
        if (spec.top) {
          v.extra.appendChild(table([t(L, 'customer'), t(L, 'recency'), t(L, 'frequency'), t(L, 'monetary')],
            spec.top.map((c) => [c.customer, c.recency_days, c.frequency, formatMoney(c.monetary, doc.money_scale, doc.currency)]), 'data top-customers'));
        }
      } else if (id === 'leaderboard') {
        const cols = [['rank', 'rank', 'count'], ['label', 'salesperson', 'text'], ['revenue', 'revenue', 'money'],
          ['margin', 'margin', 'money'], ['orders', 'orders', 'count'], ['won', 'won', 'count'],
          ['win_rate', 'win_rate', 'rate'], ['collection_rate', 'collection_rate', 'rate'],
          ['attainment', 'attainment', 'rate']];
        const scroll = el('div', 'scroll');
        const tbl = el('table', 'data sortable');
        const tr = el('tr');
        for (const [key, name] of cols) {
          const th = el('th', key === state.sortKey ? 'sorted' : null, t(L, name) + (key === state.sortKey ? (state.sortDir > 0 ? ' ▲' : ' ▼') : ''));
          th.setAttribute('data-key', key);
          th.addEventListener('click', () => {
            if (state.sortKey === key) state.sortDir = -state.sortDir; else { state.sortKey = key; state.sortDir = 1; }
            render();
          });
          tr.appendChild(th);
        }
        const thead = el('thead');
        thead.appendChild(tr);
        tbl.appendChild(thead);
        const tbody = el('tbody');
        for (const r of spec.rows) {
          const row = el('tr');
          for (const [key, , kind] of cols) {
            const x = r[key];
            row.appendChild(el('td', kind === 'text' ? null : 'num', kind === 'money' ? formatMoney(x, doc.money_scale, doc.currency)
              : kind === 'rate' ? formatPct(x === null ? null : 100 * x) : kind === 'count' ? formatCount(x) : x));
          }
          tbody.appendChild(row);
        }
        tbl.appendChild(tbody);
        scroll.appendChild(tbl);
        v.extra.appendChild(scroll);
      } else if (id === 'collection') {
        const p = spec.summary;
        v.extra.appendChild(el('p', 'hint', t(L, 'collection_rate') + ' ' + formatPct(p.collection_rate === null ? null : 100 * p.collection_rate) +
          ' · ' + t(L, 'dso') + ' ' + (p.dso === null ? '–' : p.dso.toFixed(0) + ' ' + t(L, 'days')) +
          ' · ' + t(L, 'cei') + ' ' + (p.cei === null ? '–' : p.cei.toFixed(1))));
        v.extra.appendChild(el('h3', null, t(L, 'overdue_chase')));
        v.extra.appendChild(table([t(L, 'invoice'), t(L, 'customer'), t(L, 'due_date'), t(L, 'outstanding'), t(L, 'days_past_due')],
          p.overdue_invoices.map((x) => [x.invoice, x.customer, x.due_date, formatMoney(x.outstanding, doc.money_scale, doc.currency), x.days_past_due])));
      }
    }

    root.__salesight = { charts, state, doc, render };
    render();
    window.addEventListener('resize', () => { for (const id of Object.keys(charts)) charts[id].resize(); });
  }

  const api = { STRINGS, buildPanels, buildKpis, defaultState, formatMoney, formatShort, csvText, whyMembers };
  if (typeof module !== 'undefined' && module.exports) module.exports = api;
  root.SalesightDashboard = api;
  if (typeof document !== 'undefined') {
    const data = document.getElementById('salesight-data');
    if (data) {
      const go = () => start(JSON.parse(data.textContent));
      if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', go); else go();
    }
  }
})(typeof window !== 'undefined' ? window : globalThis);
