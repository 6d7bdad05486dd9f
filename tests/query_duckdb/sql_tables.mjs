// The SQL of the pipeline, receivables and targets measures (src/query/tables.cpp
// states them; README's measures table), for specs that read those tables,
// alone or with orders measures. Each table's rows are grouped on the spec's
// period and dimensions; the groups of all tables meet in one key space (a
// full outer join on the labels), as RunQuery's one keyer does. The orders
// part is sql.mjs's own rendering of the spec's orders measures.
//
// Tables (generate.cpp / tables.hpp write them; money in minor units):
//   pipeline(opportunity, customer, salesperson, region, amount, created,
//            lost_date, s0 .. s<S-1>)       stage dates, NULL = not reached
//   invoices(invoice, customer, salesperson, region, invoice_date, due_date,
//            amount, paid, paid_date)        one payment summary per invoice
//   targets(salesperson, month, amount)      month = yyyymm
// Covered: measures, dimensions (text members the tables share), time range
// and grain, row filters, compare target; sql.mjs adds measure filters,
// order, top, limit and offset on these groups, and with rollupSql the
// totals (grand, subtotals) and top's "(others)"; compare previous /
// last-year reads a second rendering over the range moved back (its own
// as-of: stages, outcomes and snapshots as of the moved range's end).
import { MEASURES, condition, firstMember, label, ordinal, parseGrain, periodEnd, periodStart, renderSql } from './sql.mjs';

export const TARGET_DENOMINATOR = 377580n;  // lcm(28, 29, 30, 31): src/query/internal/plan.hpp

export const TABLE_MEASURES = {
  opportunities: { table: 'pipeline', kind: 'count' },
  won: { table: 'pipeline', kind: 'count' },
  lost: { table: 'pipeline', kind: 'count' },
  win_rate: { table: 'pipeline', kind: 'ratio' },
  pipeline_amount: { table: 'pipeline', kind: 'money' },
  weighted_pipeline: { table: 'pipeline', kind: 'ratio' },
  billed: { table: 'invoices', kind: 'money', part: 'due' },
  collected: { table: 'invoices', kind: 'money', part: 'due' },
  collection_rate: { table: 'invoices', kind: 'ratio', part: 'due' },
  credit_sales: { table: 'invoices', kind: 'money', part: 'credit' },
  outstanding: { table: 'invoices', kind: 'money', part: 'snapshot' },
  overdue: { table: 'invoices', kind: 'money', part: 'snapshot' },
  dso: { table: 'invoices', kind: 'ratio', part: 'credit snapshot' },
  target: { table: 'targets', kind: 'money' },
  attainment_pct: { table: 'targets', kind: 'ratio', orders: ['revenue'] },
};

const q = (s) => `'${String(s).replaceAll("'", "''")}'`;
// salesight's DefaultStages() (tables.hpp), the stage columns s0 .. s5.
const STAGES = ['lead', 'opportunity', 'quote', 'contract', 'won', 'paid'];
const ident = (s) => `"${String(s).replaceAll('"', '""')}"`;
const date = (s) => `DATE ${q(s)}`;

// A text condition on a column of table alias `a` (its label: "(none)" when missing).
function leaf(a) {
  return (f) => {
    const lab = `COALESCE(${a}.${ident(f.member)}, '(none)')`;
    const v = (f.values || []).map(q);
    const any = (fn) => `(${v.map(fn).join(' OR ')})`;
    switch (f.op) {
      case 'equals': case 'in': return `(${lab} IN (${v.join(', ')}))`;
      case 'notEquals': case 'notIn': return `(${lab} NOT IN (${v.join(', ')}))`;
      case 'contains': return any((x) => `contains(${lab}, ${x})`);
      case 'startsWith': return any((x) => `starts_with(${lab}, ${x})`);
      case 'set': return `(${a}.${ident(f.member)} IS NOT NULL AND ${a}.${ident(f.member)} <> '')`;
      case 'notSet': return `(${a}.${ident(f.member)} IS NULL OR ${a}.${ident(f.member)} = '')`;
      default: throw new Error(`renderer: op ${f.op} on ${f.member} of another table`);
    }
  };
}

// compare target reads the targets too (revenue beside its target).
export function readsOtherTables(spec) {
  return spec.measures.some((m) => TABLE_MEASURES[m]) || Boolean(spec.time && spec.time.compare === 'target');
}

// Each group of the tables carries its COMPONENTS, the exact sums its
// measures are made of (c_<name>: counts, money, the target in
// 1/TARGET_DENOMINATOR minor units, the open amount and count per stage, an
// orders measure's own sum or its distinct ids as a list), and c_per, the one
// period its rows lie in (NULL: several). A measure's value is computed from
// them (values below), so a group, a total and an "(others)" row share one
// definition: a total sums the components of its groups (rollupSql) and its
// ratios come from the summed components, never from the groups' ratios
// (finish.cpp ValueOf on the entries aggregate.cpp's Roll appends); a
// snapshot (outstanding, overdue, dso) over several periods is null.
//
// Returns {ctes, groups, components, values, joins}: the CTEs; the SELECT of
// the group rows (p, kp, x and k per dimension, the c_ columns, m per measure;
// ct_target, ct_change, ct_pct for compare target; pd, the first day of the
// period, for compare previous / last-year); the components; the value
// columns as SELECT items over a row of components; the joins they need.
// opts.prefix names the CTEs (a comparison's second set); opts.range, SQL
// date expressions [from, to] (null = open), replaces time.range (the
// comparison's range moved back, ComparisonSpec in compare.cpp).
export function renderTablesSql(spec, schema, moneyScale, opts = {}) {
  const cte = (name) => `${opts.prefix || ''}${name}`;
  const compare = spec.time && spec.time.compare;
  const targetCompare = compare === 'target';
  const rowFilters = (spec.filters || []).filter((f) => !spec.measures.includes(firstMember(f)));
  const unit = 10 ** moneyScale;
  const t = spec.time || {};
  const g = t.grain ? parseGrain(t.grain) : null;
  const [from, to] = opts.range || [t.range && t.range[0] ? date(t.range[0]) : null,
    t.range && t.range[1] ? date(t.range[1]) : null];
  const dims = spec.dimensions || [];
  const measures = spec.measures;
  const wants = (pred) => measures.some((m) => TABLE_MEASURES[m] && pred(TABLE_MEASURES[m]));
  const parts = (p) => wants((m) => (m.part || '').split(' ').includes(p));
  const inRange = (d, hi) => [`${d} IS NOT NULL`, ...(from ? [`${d} >= ${from}`] : []),
    ...(hi ? [`${d} <= ${hi}`] : [])].join(' AND ');
  const where = (a) => rowFilters.map((f) => condition(f, leaf(a))).join(' AND ') || 'true';
  // The group key of a row of alias `a` placed on day `d`.
  const keys = (a, d) => [`${g ? ordinal(g, d) : '0'} AS p`, `${g ? label(g, d) : "''"} AS kp`,
    ...dims.map((x, i) => `COALESCE(${a}.${ident(x)}, '(none)') AS k${i}`)].join(', ');
  const groupBy = ['p', 'kp', ...dims.map((_, i) => `k${i}`)].join(', ');
  const keyCols = ['kp', ...dims.map((_, i) => `k${i}`)];
  const ctes = [];
  const sources = [];  // [cte, its value columns]
  let S = 0;  // the pipeline's stages

  if (wants((m) => m.table === 'pipeline')) {
    S = schema.pipeline.filter((c) => /^s\d+$/.test(c)).length;
    const W = S - 2;  // DefaultStages(): ..., won, paid
    const reached = (s) => `(s${s} IS NOT NULL${to ? ` AND s${s} <= ${to}` : ''})`;
    const L = `CASE ${Array.from({ length: S }, (_, i) => S - 1 - i).map((s) => `WHEN ${reached(s)} THEN ${s}`).join(' ')} ELSE -1 END`;
    // The derived dimension "stage": the furthest stage dated <= the range's end.
    const stage = `CASE L ${STAGES.slice(0, S).map((n, s) => `WHEN ${s} THEN ${q(n)}`).join(' ')} END`;
    ctes.push([cte('pl0'), `SELECT * FROM (SELECT u.*, ${stage} AS stage FROM (SELECT t.*, ${L} AS L FROM pipeline t) u) t
      WHERE ${inRange('t.created', to)} AND ${where('t')}`]);
    ctes.push([cte('pl'), `SELECT *, L >= ${W} AS is_won,
      L < ${W} AND lost_date IS NOT NULL${to ? ` AND lost_date <= ${to}` : ''} AS is_lost FROM ${cte('pl0')}`]);
    ctes.push([cte('plo'), `SELECT *, NOT is_won AND NOT is_lost AND L >= 0 AS is_open FROM ${cte('pl')}`]);
    // Stage-to-won probabilities over every selected row (company-wide).
    const prob = Array.from({ length: S }, (_, s) => {
      const closed = `count(*) FILTER (WHERE (is_won OR is_lost) AND L >= ${s})`;
      return `CASE WHEN ${closed} = 0 THEN NULL ELSE CAST(count(*) FILTER (WHERE is_won AND L >= ${s}) AS DOUBLE) / CAST(${closed} AS DOUBLE) END AS q${s}`;
    });
    ctes.push([cte('prob'), `SELECT ${prob.join(', ')} FROM ${cte('plo')}`]);
    const open = Array.from({ length: S }, (_, s) =>
      `COALESCE(SUM(amount) FILTER (WHERE is_open AND L = ${s}), 0) AS oa${s}, count(*) FILTER (WHERE is_open AND L = ${s}) AS oc${s}`);
    ctes.push([cte('pg'), `SELECT ${groupBy}, count(*) AS opportunities, count(*) FILTER (WHERE is_won) AS won,
      count(*) FILTER (WHERE is_lost) AS lost, COALESCE(SUM(amount) FILTER (WHERE is_open), 0) AS pipeline_amount,
      ${open.join(', ')} FROM (SELECT ${keys('o', 'o.created')}, o.* FROM ${cte('plo')} o) GROUP BY ${groupBy}`]);
    sources.push([cte('pg'), ['opportunities', 'won', 'lost', 'pipeline_amount',
      ...Array.from({ length: S }, (_, s) => [`oa${s}`, `oc${s}`]).flat()]]);
  }
  if (wants((m) => m.table === 'invoices')) {
    // As of the range's end, else the latest invoice date.
    ctes.push([cte('asofd'), to ? `SELECT ${to} AS a` : 'SELECT max(invoice_date) AS a FROM invoices']);
    const paidBy = (d) => `(CASE WHEN t.paid_date IS NOT NULL AND t.paid_date <= ${d} THEN t.paid ELSE 0 END)`;
    if (parts('due')) {
      ctes.push([cte('due'), `SELECT ${groupBy}, SUM(amount) AS billed, SUM(paid_a) AS collected FROM (
        SELECT ${keys('t', 't.due_date')}, t.amount, ${paidBy('x.a')} AS paid_a FROM invoices t, ${cte('asofd')} x
        WHERE ${inRange('t.due_date', 'x.a')} AND ${where('t')}) GROUP BY ${groupBy}`]);
      sources.push([cte('due'), ['billed', 'collected']]);
    }
    if (parts('credit')) {
      ctes.push([cte('credit'), `SELECT ${groupBy}, SUM(amount) AS credit_sales FROM (
        SELECT ${keys('t', 't.invoice_date')}, t.amount FROM invoices t, ${cte('asofd')} x
        WHERE ${inRange('t.invoice_date', 'x.a')} AND ${where('t')}) GROUP BY ${groupBy}`]);
      sources.push([cte('credit'), ['credit_sales']]);
    }
    if (parts('snapshot')) {
      // One snapshot per period from the invoice's (or the range's first) to
      // as-of's, at the period's last day (as-of at most); open = amount -
      // paid by then, counted while > 0.
      const snap = g
        ? `SELECT t.*, least(${periodEnd(g, 'r.p')}, x.a) AS tt FROM invoices t, ${cte('asofd')} x,
             (SELECT unnest(generate_series(${ordinal(g, `least(${['(SELECT min(invoice_date) FROM invoices)', ...(from ? [from] : [])].join(', ')})`)},
               (SELECT ${ordinal(g, 'a')} FROM ${cte('asofd')}))) AS p) r
           WHERE t.invoice_date <= x.a AND r.p >= ${ordinal(g, 't.invoice_date')}
           ${from ? `AND r.p >= ${ordinal(g, from)}` : ''} AND r.p <= ${ordinal(g, 'x.a')} AND ${where('t')}`
        : `SELECT t.*, x.a AS tt FROM invoices t, ${cte('asofd')} x WHERE t.invoice_date <= x.a AND ${where('t')}`;
      ctes.push([cte('snap'), `SELECT ${groupBy}, SUM(open) AS outstanding, COALESCE(SUM(open) FILTER (WHERE due_date < tt), 0) AS overdue
        FROM (SELECT ${keys('t', 't.tt')}, t.amount - ${paidBy('t.tt')} AS open, t.due_date, t.tt FROM (${snap}) t)
        WHERE open > 0 GROUP BY ${groupBy}`]);
      sources.push([cte('snap'), ['outstanding', 'overdue']]);
    }
  }
  if (wants((m) => m.table === 'targets') || targetCompare) {
    // A month's target spread over its days (amount x (D / days) each), the
    // days clipped to the range; a group's target rounded once.
    const first = 'make_date(t.month // 100, t.month % 100, 1)';
    ctes.push([cte('tm'), `SELECT t.*, ${first} AS first, last_day(${first}) AS last FROM targets t WHERE ${where('t')}`]);
    const lo = from ? `greatest(first, ${from})` : 'first';
    const hi = to ? `least(last, ${to})` : 'last';
    ctes.push([cte('tgt'), `SELECT ${groupBy}, SUM(share) AS target_num FROM (
      SELECT ${keys('t', 't.d')}, t.share FROM (
        SELECT tm.*, CAST(amount AS HUGEINT) * (${TARGET_DENOMINATOR} // (last - first + 1)) AS share,
          CAST(unnest(generate_series(CAST(${lo} AS TIMESTAMP), CAST(${hi} AS TIMESTAMP), INTERVAL 1 DAY)) AS DATE) AS d
        FROM ${cte('tm')} tm) t) GROUP BY ${groupBy}`]);
    sources.push([cte('tgt'), ['target_num']]);
  }
  // The orders measures (and attainment's revenue), as the sums and id lists
  // they are made of (a ratio: its components): sql.mjs on a spec of those.
  const orderMeasures = [...new Set([
    ...measures.filter((m) => MEASURES[m]),
    ...measures.flatMap((m) => (TABLE_MEASURES[m] && TABLE_MEASURES[m].orders) || []),
    ...(targetCompare ? ['revenue'] : []),
  ])];
  const orderParts = [...new Set(orderMeasures.flatMap((m) => (MEASURES[m].kind === 'ratio'
    ? [...MEASURES[m].num, ...MEASURES[m].den] : [m])))];
  if (orderParts.length) {
    const sub = { version: 1, measures: orderParts, dimensions: dims, filters: rowFilters };
    if (t.grain) sub.time = { dimension: 'order_date', grain: t.grain };
    const timeCol = g ? ident(`order_date.${t.grain}`) : "''";
    ctes.push([cte('os0'), renderSql(sub, schema, moneyScale, { range: [from, to], lists: true })]);
    // Its rows name their period; the period's ordinal comes from the lines.
    if (g) {
      ctes.push([cte('pmap'), `SELECT DISTINCT ${ordinal(g, 'order_date')} AS p, ${label(g, 'order_date')} AS kp FROM lines`]);
    }
    ctes.push([cte('os'), `SELECT ${g ? `(SELECT pm.p FROM ${cte('pmap')} pm WHERE pm.kp = os0.${timeCol})` : '0'} AS p, ${timeCol} AS kp, ${dims.map((d, i) => `${ident(d)} AS k${i}`).concat(orderParts.map((m) => ident(m))).join(', ')} FROM ${cte('os0')} os0`]);
    sources.push([cte('os'), orderParts]);
  }

  // Every group any part has, then each part's components (0 where it has
  // none; an id list stays NULL). A period's ordinal goes with its label: the
  // union has one row per group.
  const keySql = sources.map(([c]) => `SELECT p, ${keyCols.join(', ')} FROM ${c}`).join(' UNION ');
  ctes.push([cte('allk'), keySql]);
  const joins = sources.map(([c]) => `LEFT JOIN ${c} ON ${keyCols.map((k) => `${c}.${k} IS NOT DISTINCT FROM allk.${k}`).join(' AND ')}`);
  const isList = (col) => Boolean(MEASURES[col] && MEASURES[col].distinct);
  const components = sources.flatMap(([c, cols]) => cols.map((col) => ({ name: col, list: isList(col),
    sql: isList(col) ? `${c}.${ident(col)}` : `COALESCE(${c}.${ident(col)}, 0)` })));
  const gcCols = ['allk.p AS p', 'allk.kp AS kp', ...dims.map((_, i) => `allk.k${i} AS x${i}, allk.k${i} AS k${i}`),
    ...components.map((x) => `${x.sql} AS ${ident(`c_${x.name}`)}`), `${g ? 'allk.p' : '0'} AS c_per`];
  if (compare && !targetCompare) gcCols.push(`${periodStart(g, 'allk.p')} AS pd`);
  ctes.push([cte('gc'), `SELECT ${gcCols.join(', ')} FROM ${cte('allk')} allk ${joins.join(' ')}`]);

  // The values, read from a row of components (c_per its one period).
  const c = (name) => ident(`c_${name}`);
  const dbl = (x) => `CAST(${x} AS DOUBLE)`;
  const ratio = (num, den, scale) => `(CASE WHEN ${den} = 0 THEN NULL ELSE ${dbl(num)} / ${dbl(den)}${scale ? ` * ${scale}` : ''} END)`;
  const target = `CAST((2 * ${c('target_num')} + ${TARGET_DENOMINATOR}) // (2 * ${TARGET_DENOMINATOR}) AS BIGINT)`;
  const snapshot = (x) => `(CASE WHEN c_per IS NULL THEN NULL ELSE ${x} END)`;
  const ordersValue = (m) => {
    const d = MEASURES[m];
    if (d.kind === 'ratio') {
      const sum = (names) => names.map((n) => ordersValue(n)).join(' + ');
      return ratio(`(${sum(d.num)})`, `(${sum(d.den)})`, d.scale === 'percent' ? '100.0' : dbl(1 / unit));
    }
    return d.distinct ? `COALESCE(len(${c(m)}), 0)` : c(m);
  };
  const value = (m) => {
    switch (m) {
      case 'opportunities': case 'won': case 'lost': case 'pipeline_amount':
      case 'billed': case 'collected': case 'credit_sales': return c(m);
      case 'win_rate': return ratio(c('won'), `(${c('won')} + ${c('lost')})`);
      case 'weighted_pipeline': {
        const terms = Array.from({ length: S }, (_, s) =>
          ` + (CASE WHEN prob.q${s} IS NULL THEN 0 ELSE ${dbl(c(`oa${s}`))} / ${dbl(unit)} * prob.q${s} END)`);
        const missing = Array.from({ length: S }, (_, s) => `(prob.q${s} IS NULL AND ${c(`oc${s}`)} > 0)`);
        return `(CASE WHEN ${missing.join(' OR ')} THEN NULL ELSE CAST(0 AS DOUBLE)${terms.join('')} END)`;
      }
      case 'collection_rate': return ratio(c('collected'), c('billed'));
      case 'outstanding': case 'overdue': return snapshot(c(m));
      case 'dso': {
        // outstanding / credit_sales x the days of [start, end]: the range's
        // start and as-of, clipped to the period.
        const start = g ? (from ? `greatest(${from}, ${periodStart(g, 'c_per')})` : periodStart(g, 'c_per')) : (from || 'NULL');
        const end = g ? `least(x.a, ${periodEnd(g, 'c_per')})` : 'x.a';
        return `(CASE WHEN c_per IS NULL OR ${c('credit_sales')} <= 0 OR (${start}) IS NULL THEN NULL ELSE ` +
          `${dbl(c('outstanding'))} / ${dbl(c('credit_sales'))} * ${dbl(`(${end}) - (${start}) + 1`)} END)`;
      }
      case 'target': return target;
      case 'attainment_pct': return ratio(c('revenue'), target, '100.0');
      default:
        if (MEASURES[m]) return ordersValue(m);
        throw new Error(`renderer: no SQL for measure ${m}`);
    }
  };
  const values = measures.map((m, i) => `${value(m)} AS m${i}`);
  if (targetCompare) {
    // compare.cpp: revenue - target, 100 x change / target (null when the target is 0).
    const change = `(${c('revenue')} - ${target})`;
    values.push(`${target} AS ct_target`, `${change} AS ct_change`,
      `(CASE WHEN ${target} = 0 THEN NULL ELSE 100.0 * ${dbl(change)} / ${dbl(target)} END) AS ct_pct`);
  }
  const extra = [];
  if (measures.includes('weighted_pipeline')) extra.push(`CROSS JOIN ${cte('prob')} prob`);
  if (measures.includes('dso')) extra.push(`CROSS JOIN ${cte('asofd')} x`);
  const rendered = { ctes, components, values, joins: extra.join(' ') };
  return { ...rendered, groups: `SELECT gc.*, ${values.join(', ')} FROM ${cte('gc')} gc ${rendered.joins}` };
}

// The rows of `src` rolled up by `group` (GROUP BY ...; '' = one row): the
// SELECT items `keyItems`, each component summed (an id list: the union),
// c_per kept when every row lies in one period, then the values from the
// sums. What a total or an "(others)" row of these measures is.
export function rollupSql(rendered, keyItems, src, group) {
  const sums = rendered.components.map((x) => {
    const col = ident(`c_${x.name}`);
    return x.list ? `list_distinct(flatten(list(${col}) FILTER (WHERE ${col} IS NOT NULL))) AS ${col}`
      : `SUM(${col}) AS ${col}`;
  });
  sums.push('CASE WHEN count(DISTINCT c_per) = 1 THEN min(c_per) END AS c_per');
  return `SELECT r.*, ${rendered.values.join(', ')} FROM (SELECT ${[...keyItems, ...sums].join(', ')}
    FROM ${src} ${group} HAVING count(*) > 0) r ${rendered.joins}`;
}
