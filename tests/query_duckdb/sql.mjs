// The one SQL rendering of a query spec (include/salesight/query/spec.hpp),
// for the differential test against DuckDB (issue 14 item 6). It follows the
// definitions of include/salesight/query/run.hpp and the measures catalogue
// (README), written as plain SQL over the tables the generator writes:
//   lines(order_id, order_date, customer, product, region, salesperson,
//         quantity, amount [, cost], <attributes>)      money in minor units
//   products(product, category, standard_cost)           master rows
//   customers(customer, <attributes>)                    master rows
// A measure is one entry of MEASURES: an aggregate over the selected lines
// (or a ratio of summed components); adding one is adding its entry.
// Pipeline, receivables and targets measures: sql_tables.mjs (renderSql
// hands it the specs that read them).

// Line-level columns the aggregates read (view `f` below; `needs` names the
// derived ones a measure reads, so a query computes only those):
//   amount, quantity, order_id, customer;
//   line_cost: the cost of the line, NULL when unknown (margin.hpp: the cost
//     column, else quantity x the product's standard cost; unknown costs are
//     left out, never zero);
//   first_of_order: the line lies in its order's earliest selected period;
//   is_new / is_returning: a purchase (amount >= 0) whose customer's first
//     purchase ever lies in the line's period / in an earlier one.

import { TABLE_MEASURES, readsOtherTables, renderTablesSql, rollupSql } from './sql_tables.mjs';

// COUNT(DISTINCT x) FILTER (WHERE c), written as the length of the list of
// x's distinct non-null values: as exact, and DuckDB's DISTINCT aggregates
// cost about twice as much per query on groups this small. A distinct
// measure names [x, c] (`distinct`); the list itself is what a group of the
// other tables' queries keeps (sql_tables.mjs: a total counts the union).
function distinctList([x, where]) {
  return `list_distinct(list(${x})${where ? ` FILTER (WHERE ${where})` : ''})`;
}
export const MEASURES = {
  revenue: { table: 'orders', kind: 'money', sql: 'COALESCE(SUM(amount), 0)' },
  cost: { table: 'orders', kind: 'money', needs: ['line_cost'], sql: 'COALESCE(SUM(line_cost), 0)' },
  costed_revenue: {
    table: 'orders', kind: 'money', needs: ['line_cost'],
    sql: 'COALESCE(SUM(amount) FILTER (WHERE line_cost IS NOT NULL), 0)',
  },
  margin: { table: 'orders', kind: 'money', needs: ['line_cost'], sql: 'COALESCE(SUM(amount - line_cost), 0)' },
  margin_pct: { table: 'orders', kind: 'ratio', num: ['margin'], den: ['costed_revenue'], scale: 'percent' },
  quantity: { table: 'orders', kind: 'count', sql: 'COALESCE(SUM(quantity), 0)' },
  lines: { table: 'orders', kind: 'count', sql: 'COUNT(*)' },
  orders: { table: 'orders', kind: 'count', needs: ['first_of_order'], distinct: ['order_id', 'first_of_order'] },
  customers: { table: 'orders', kind: 'count', distinct: ['customer'] },
  new_customers: { table: 'orders', kind: 'count', needs: ['first_purchase'], distinct: ['customer', 'is_new'] },
  returning_customers: {
    table: 'orders', kind: 'count', needs: ['first_purchase'],
    distinct: ['customer', 'is_returning'],
  },
  aov: { table: 'orders', kind: 'ratio', num: ['revenue'], den: ['orders'], scale: 'currency' },
  revenue_per_customer: {
    table: 'orders', kind: 'ratio', num: ['revenue'], den: ['customers'], scale: 'currency',
  },
  return_amount: { table: 'orders', kind: 'money', sql: 'COALESCE(SUM(amount) FILTER (WHERE amount < 0), 0)' },
};

const q = (s) => `'${String(s).replaceAll("'", "''")}'`;
const ident = (s) => `"${String(s).replaceAll('"', '""')}"`;
const dbl = (v) => `CAST(${q(String(v))} AS DOUBLE)`;
const date = (s) => `DATE ${q(s)}`;

// ---------------------------------------------------------------- grains
// grain.hpp: ordinals (consecutive periods are consecutive integers) and labels.
export function parseGrain(text) {
  const [unit, start] = text.split(':');
  const units = ['day', 'week', 'month', 'quarter', 'year', 'fiscal_year'];
  if (!units.includes(unit)) throw new Error(`unknown grain ${text}`);
  return { unit, start: start === undefined ? 1 : Number(start) };
}
export function ordinal(g, d) {
  switch (g.unit) {
    case 'day': return `(${d} - DATE '1970-01-01')`;
    case 'week': return `(date_diff('day', DATE '1900-01-01', ${d}) // 7)`;  // 1900-01-01 was a Monday
    case 'month': return `(year(${d}) * 12 + month(${d}) - 1)`;
    case 'quarter': return `(year(${d}) * 4 + quarter(${d}) - 1)`;
    case 'year': return `year(${d})`;
    default: return `((year(${d}) * 12 + month(${d}) - 1 - ${g.start - 1}) // 12)`;
  }
}
export function label(g, d) {
  switch (g.unit) {
    case 'day': return `strftime(${d}, '%Y-%m-%d')`;
    case 'week': return `(isoyear(${d})::VARCHAR || '-W' || lpad(week(${d})::VARCHAR, 2, '0'))`;
    case 'month': return `strftime(${d}, '%Y-%m')`;
    case 'quarter': return `(year(${d})::VARCHAR || '-Q' || quarter(${d})::VARCHAR)`;
    case 'year': return `year(${d})::VARCHAR`;
    default: return `('FY' || ${ordinal(g, d)}::VARCHAR)`;
  }
}
// The first and the last day of the period with ordinal n (an SQL expression).
export function periodStart(g, n) {
  const i = (x) => `CAST(${x} AS INTEGER)`;
  switch (g.unit) {
    case 'day': return `(DATE '1970-01-01' + ${i(n)})`;
    case 'week': return `(DATE '1900-01-01' + 7 * ${i(n)})`;
    case 'month': return `make_date((${n}) // 12, (${n}) % 12 + 1, 1)`;
    case 'quarter': return `make_date((${n}) // 4, (${n}) % 4 * 3 + 1, 1)`;
    case 'year': return `make_date(${n}, 1, 1)`;
    default: return `make_date(((${n}) * 12 + ${g.start - 1}) // 12, ((${n}) * 12 + ${g.start - 1}) % 12 + 1, 1)`;
  }
}
export function periodEnd(g, n) {
  return `(${periodStart(g, `(${n}) + 1`)} - 1)`;
}
// The ordinal of the same period a year earlier (SamePeriodLastYear) of the
// period `p` that holds the day `d`: NULL for Feb 29 and ISO week 53.
function lastYear(g, p, d) {
  switch (g.unit) {
    case 'day':
      return `(CASE WHEN month(${d}) = 2 AND day(${d}) = 29 THEN NULL ` +
        `ELSE CAST(${d} - INTERVAL 1 YEAR AS DATE) - DATE '1970-01-01' END)`;
    case 'week':  // back by the weeks of the previous ISO year (52 or 53)
      return `(CASE WHEN week(${d}) = 53 THEN NULL ELSE ${p} - week(make_date(isoyear(${d}) - 1, 12, 28)) END)`;
    case 'month': return `(${p} - 12)`;
    case 'quarter': return `(${p} - 4)`;
    default: return `(${p} - 1)`;
  }
}
const PERIODS_PER_YEAR = { day: 366, week: 53, month: 12, quarter: 4, year: 1, fiscal_year: 1 };

// ---------------------------------------------------------------- members
// A member name resolves as dimension.hpp says: a field or attribute of the
// lines, else of the customer's master row, else of the product's.
const NOT_MEMBERS = new Set(['order_id', 'order_date', 'quantity', 'amount', 'cost', 'standard_cost']);
function resolveMember(schema, name) {
  if (name === 'order_date') return { type: 'date', expr: 'l.order_date' };
  if (schema.lines.includes(name) && !NOT_MEMBERS.has(name)) return { type: 'text', expr: `l.${ident(name)}` };
  if (schema.customers.includes(name) && name !== 'customer') return { type: 'text', expr: `cm.${ident(name)}` };
  if (schema.products.includes(name) && !NOT_MEMBERS.has(name) && name !== 'product') {
    return { type: 'text', expr: `pm.${ident(name)}` };
  }
  return null;
}
// A dimension: x sorts it (members in value order, a missing one NULL and
// first), k is its label ("(none)" when missing).
function dimension(schema, name) {
  const dot = name.indexOf('.');
  let grainText = null;
  if (name.startsWith('order_date.')) grainText = name.slice(dot + 1);
  else if (/^(day|week|month|quarter|year|fiscal_year)(:\d+)?$/.test(name)) grainText = name;
  if (grainText !== null) {
    const g = parseGrain(grainText);
    return { x: ordinal(g, 'l.order_date'), k: label(g, 'l.order_date') };
  }
  if (name === 'order_date') return { x: 'l.order_date', k: label({ unit: 'day' }, 'l.order_date') };
  const m = resolveMember(schema, name);
  if (!m) throw new Error(`renderer: unknown dimension ${name}`);
  return { x: m.expr, k: `COALESCE(${m.expr}, '(none)')` };
}

// ---------------------------------------------------------------- filters
// Each leaf is COALESCEd to false: a condition on a missing value (a null
// ratio) is false, whatever and/or holds it.
export function condition(f, leaf) {
  if (f.and) return `(${f.and.map((c) => condition(c, leaf)).join(' AND ')})`;
  if (f.or) return `(${f.or.map((c) => condition(c, leaf)).join(' OR ')})`;
  return `COALESCE(${leaf(f)}, false)`;
}
export function firstMember(f) {
  if (f.and) return firstMember(f.and[0]);
  if (f.or) return firstMember(f.or[0]);
  return f.member;
}
function rowLeaf(schema) {
  return (f) => {
    const m = resolveMember(schema, f.member);
    if (!m) throw new Error(`renderer: unknown filter member ${f.member}`);
    const vals = f.values || [];
    if (m.type === 'date') {  // order_date is always set
      const v = vals.map(date);
      switch (f.op) {
        case 'equals': case 'in': return `(l.order_date IN (${v.join(', ')}))`;
        case 'notEquals': case 'notIn': return `(l.order_date NOT IN (${v.join(', ')}))`;
        case 'gt': return `(l.order_date > ${v[0]})`;
        case 'gte': return `(l.order_date >= ${v[0]})`;
        case 'lt': return `(l.order_date < ${v[0]})`;
        case 'lte': return `(l.order_date <= ${v[0]})`;
        case 'between': return `(l.order_date BETWEEN ${v[0]} AND ${v[1]})`;
        case 'set': return 'true';
        case 'notSet': return 'false';
        default: throw new Error(`renderer: op ${f.op} on a date`);
      }
    }
    // A text member compares its label ("(none)" when missing), bytewise.
    const lab = `COALESCE(${m.expr}, '(none)')`;
    const v = vals.map((x) => q(x));
    const any = (fn) => `(${v.map(fn).join(' OR ')})`;
    switch (f.op) {
      case 'equals': case 'in': return `(${lab} IN (${v.join(', ')}))`;
      case 'notEquals': case 'notIn': return `(${lab} NOT IN (${v.join(', ')}))`;
      case 'contains': return any((x) => `contains(${lab}, ${x})`);
      case 'startsWith': return any((x) => `starts_with(${lab}, ${x})`);
      case 'set': return `(${m.expr} IS NOT NULL AND ${m.expr} <> '')`;
      case 'notSet': return `(${m.expr} IS NULL OR ${m.expr} = '')`;
      default: throw new Error(`renderer: op ${f.op} on a text`);
    }
  };
}
// A measure condition compares the group's value: money in currency units
// (rounded to the money scale), counts and ratios as numbers.
function havingLeaf(spec, unit) {
  return (f) => {
    const col = `m${spec.measures.indexOf(f.member)}`;
    const kind = (MEASURES[f.member] || TABLE_MEASURES[f.member]).kind;
    // (The generator's money values have whole cents: no half-cent rounding.)
    const lit = (v) => (kind === 'money' ? String(Math.round(v * unit)) : dbl(v));
    const v = (f.values || []).map(lit);
    switch (f.op) {
      case 'equals': case 'in': return `(${col} IN (${v.join(', ')}))`;
      case 'notEquals': case 'notIn': return `(${col} NOT IN (${v.join(', ')}))`;
      case 'gt': return `(${col} > ${v[0]})`;
      case 'gte': return `(${col} >= ${v[0]})`;
      case 'lt': return `(${col} < ${v[0]})`;
      case 'lte': return `(${col} <= ${v[0]})`;
      case 'between': return `(${col} BETWEEN ${v[0]} AND ${v[1]})`;
      case 'set': return `(${col} IS NOT NULL)`;
      case 'notSet': return `(${col} IS NULL)`;
      default: throw new Error(`renderer: op ${f.op} on a measure`);
    }
  };
}

// ---------------------------------------------------------------- measures
// The derived line columns the measures read (ratios: their components').
function needs(names) {
  const out = new Set();
  const add = (n) => {
    const m = MEASURES[n];
    if (!m) throw new Error(`renderer: no SQL for measure ${n}`);
    for (const x of m.needs || []) out.add(x);
    for (const c of [...(m.num || []), ...(m.den || [])]) add(c);
  };
  names.forEach(add);
  return out;
}
function measureSql(name, unit, lists) {
  const m = MEASURES[name];
  if (!m) throw new Error(`renderer: no SQL for measure ${name}`);
  if (m.distinct) return lists ? distinctList(m.distinct) : `COALESCE(len(${distinctList(m.distinct)}), 0)`;
  if (m.kind !== 'ratio') return m.sql;
  const sum = (names) => names.map((n) => `(${measureSql(n, unit)})`).join(' + ');
  const scale = m.scale === 'percent' ? dbl(100) : dbl(1 / unit);
  return `(CASE WHEN (${sum(m.den)}) = 0 THEN NULL ELSE ` +
    `CAST(${sum(m.num)} AS DOUBLE) / CAST(${sum(m.den)} AS DOUBLE) * ${scale} END)`;
}

// ---------------------------------------------------------------- the query
// schema: {lines: [...], products: [...], customers: [...]} column names;
// moneyScale: the digits of a minor unit. Returns one SELECT whose columns
// and rows are RunQuery's. opts (sql_tables.mjs's orders part): range, SQL
// date expressions [from, to] (null = open) in place of time.range; lists, a
// distinct measure as the list of its ids.
export function renderSql(spec, schema, moneyScale, opts = {}) {
  // The pipeline, receivables and targets measures: their groups come from
  // sql_tables.mjs; the measure filters, order, top, limit and offset below.
  const tables = readsOtherTables(spec);
  const unit = 10 ** moneyScale;
  const t = spec.time || null;
  const grain = t && t.grain ? parseGrain(t.grain) : null;
  const [from, to] = opts.range || [t && t.range && t.range[0] ? date(t.range[0]) : null,
    t && t.range && t.range[1] ? date(t.range[1]) : null];
  // compare target: columns of the tables' groups (sql_tables.mjs), not a second aggregation.
  const compare = t && t.compare && t.compare !== 'target' ? t.compare : null;
  const dims = (spec.dimensions || []).map((d) => (tables ? null : dimension(schema, d)));
  const measures = spec.measures;
  const xs = dims.map((_, i) => `x${i}`);
  const ks = dims.map((_, i) => `k${i}`);
  const keyEq = (a, b) => [`${a}.p = ${b}.p`, ...ks.map((k) => `${a}.${k} = ${b}.${k}`)].join(' AND ');

  const rowItems = (spec.filters || []).filter((f) => !measures.includes(firstMember(f)));
  const havingItems = (spec.filters || []).filter((f) => measures.includes(firstMember(f)));
  // Rendered when the lines are read (a pipeline-only member such as stage has no line column).
  const rowWhere = () => rowItems.map((f) => condition(f, rowLeaf(schema)));

  // Only what the query reads is computed or joined: DuckDB's cost per query
  // is what keeps 10,000 specs within the test's time.
  const need = tables ? new Set() : needs(measures);
  const lineCost = schema.lines.includes('cost') ? 'l.cost'
    : 'CAST(l.quantity AS BIGINT) * pm.standard_cost';  // NULL: no master row or no standard cost
  const p = grain ? ordinal(grain, 'l.order_date') : '0';
  const kp = grain ? label(grain, 'l.order_date') : "''";
  // The selected lines with their keys; `where` holds the range's conditions.
  const selection = (where) => {
    const cols = [`l.order_id, l.order_date, l.customer, l.amount, l.quantity, ${p} AS p, ${kp} AS kp`];
    if (need.has('line_cost')) cols.push(`${lineCost} AS line_cost`);
    dims.forEach((d, i) => cols.push(`${d.x} AS x${i}, ${d.k} AS k${i}`));
    const cond = [...where, ...rowWhere()].join(' AND ') || 'true';
    const text = cols.join(', ') + cond;
    const joins = [];
    if (/\bpm\./.test(text)) joins.push('LEFT JOIN products pm ON pm.product = l.product');
    if (/\bcm\./.test(text)) joins.push('LEFT JOIN customers cm ON cm.customer = l.customer');
    return `SELECT ${cols.join(', ')} FROM lines l ${joins.join(' ')} WHERE ${cond}`;
  };
  const range = [];
  if (from) range.push(`l.order_date >= ${from}`);
  if (to) range.push(`l.order_date <= ${to}`);
  // New vs returning: the period is the grain's, else the range.
  let isNew = 'true', isReturning = 'false';
  if (grain) {
    isNew = `${ordinal(grain, 'fc.first_day')} = s.p`;
    isReturning = `${ordinal(grain, 'fc.first_day')} < s.p`;
  } else if (from) {
    isNew = `fc.first_day >= ${from}`;
    isReturning = `fc.first_day < ${from}`;
  }
  const flags = (sel) => {
    const cols = ['s.*'];
    if (need.has('first_of_order')) cols.push('s.p = min(s.p) OVER (PARTITION BY s.order_id) AS first_of_order');
    if (!need.has('first_purchase')) return `SELECT ${cols.join(', ')} FROM ${sel} s`;
    cols.push(`s.amount >= 0 AND ${isNew} AS is_new, s.amount >= 0 AND ${isReturning} AS is_returning`);
    return `SELECT ${cols.join(', ')} FROM ${sel} s LEFT JOIN firsts fc ON fc.customer = s.customer`;
  };
  const msel = tables ? '' : measures.map((m, i) => `, ${measureSql(m, unit, opts.lists)} AS m${i}`).join('');
  const groupBy = ['p', 'kp', ...dims.flatMap((_, i) => [`x${i}`, `k${i}`])].join(', ');
  // pd: a day of the group's period (the comparison period is found from it).
  const aggregate = (src) => `SELECT p, kp${dims.map((_, i) => `, x${i}, k${i}`).join('')}
      ${compare ? ', min(order_date) AS pd' : ''}${msel} FROM ${src} GROUP BY ${groupBy}`;

  const ctes = [];
  // The other tables' groups carry their measures' components (totals and
  // "(others)" sum those: rollupSql).
  const rendered = tables ? renderTablesSql(spec, schema, moneyScale) : null;
  if (tables) {
    ctes.push(...rendered.ctes, ['g0', rendered.groups]);
  } else {
    if (need.has('first_purchase')) {
      ctes.push(['firsts', 'SELECT customer, min(order_date) AS first_day FROM lines WHERE amount >= 0 GROUP BY customer']);
    }
    ctes.push(['sel', selection(range)]);
    ctes.push(['f', flags('sel')]);
    ctes.push(['g0', aggregate('f')]);
  }
  const having = havingItems.map((f) => condition(f, havingLeaf(spec, unit)));
  ctes.push(['g', `SELECT * FROM g0 WHERE ${having.join(' AND ') || 'true'}`]);

  // Compare: the groups of the range moved back by whole periods (before the
  // measure filters), or the query's own groups when the range has no start.
  if (compare) {
    if (from) {
      const back = compare === 'previous' ? 1 : PERIODS_PER_YEAR[grain.unit];
      const minBack = compare === 'previous' ? 1
        : grain.unit === 'day' ? 365 : grain.unit === 'week' ? 52 : PERIODS_PER_YEAR[grain.unit];
      if (tables) {
        // The other tables' comparison is the query over the moved range
        // (as of its end: stages, outcomes, snapshots), not a re-cut of the
        // query's rows.
        const range = [periodStart(grain, `${ordinal(grain, from)} - ${back}`),
          to ? periodEnd(grain, `${ordinal(grain, to)} - ${minBack}`) : null];
        const cspec = { ...spec, time: { ...t, compare: undefined } };
        const c = renderTablesSql(cspec, schema, moneyScale, { prefix: 'cmp_', range });
        ctes.push(...c.ctes, ['cg', c.groups]);
      } else {
        const crange = [`${p} >= ${ordinal(grain, from)} - ${back}`];
        if (to) crange.push(`${p} <= ${ordinal(grain, to)} - ${minBack}`);
        ctes.push(['csel', selection(crange)]);
        ctes.push(['cf', flags('csel')]);
        ctes.push(['cg', aggregate('cf')]);
      }
    } else {
      ctes.push(['cg', 'SELECT * FROM g0']);
    }
  }
  const cp = !compare ? 'NULL' : compare === 'previous' ? '(p - 1)' : lastYear(grain, 'p', 'pd');

  // Row order: the spec's order items, ties canonical (period, then members).
  const canonical = ['p ASC', ...xs.map((x) => `${x} ASC NULLS FIRST`)];
  const timeColumn = grain ? `${t.dimension}.${t.grain}` : null;
  const orderTerms = (spec.order || []).map((o) => {
    const dir = o.desc ? 'DESC' : 'ASC';
    const mi = measures.indexOf(o.member);
    if (mi >= 0) return `m${mi} ${dir} NULLS LAST`;
    if (o.member === timeColumn) return `p ${dir}`;
    const di = (spec.dimensions || []).indexOf(o.member);
    if (di < 0) throw new Error(`renderer: order member ${o.member}`);
    return `x${di} ${dir} NULLS ${o.desc ? 'LAST' : 'FIRST'}`;
  });
  const others = (rest) => {
    const byPeriod = grain && dims.length > 0;
    if (tables) {
      return rollupSql(rendered, [`${byPeriod ? 'p' : '0'} AS p`, `${byPeriod ? 'min(kp)' : "'(others)'"} AS kp`,
        ...dims.map((_, i) => `NULL AS x${i}, '(others)' AS k${i}`), `${byPeriod ? 'p' : '0'} AS part`,
        '1 AS is_others', 'NULL AS cp'], rest, byPeriod ? 'GROUP BY p' : '');
    }
    return `SELECT ${byPeriod ? 'f.p' : '0'} AS p, ${byPeriod ? 'min(f.kp)' : "'(others)'"} AS kp${dims.map((_, i) => `, NULL AS x${i}, '(others)' AS k${i}`).join('')}${msel},
        ${byPeriod ? 'f.p' : '0'} AS part, 1 AS is_others, NULL AS cp
      FROM f WHERE EXISTS (SELECT 1 FROM ${rest} r WHERE ${keyEq('r', 'f')})
      ${byPeriod ? 'GROUP BY f.p' : ''} HAVING count(*) > 0`;
  };
  const totals = spec.totals && spec.totals !== 'none';
  const offset = spec.offset || 0;
  const cutting = spec.limit !== undefined || offset > 0;
  // pos: the row's place when a cut or the totals' union needs it; else the
  // final ORDER BY places the rows.
  const positioned = spec.top || cutting || totals;
  if (spec.top) {
    const byPeriod = grain && dims.length > 0;
    const by = measures.indexOf(spec.top.by || measures[0]);
    ctes.push(['ranked', `SELECT *, row_number() OVER (PARTITION BY ${byPeriod ? 'p' : '0'}
        ORDER BY m${by} DESC NULLS LAST, ${canonical.join(', ')}) AS rk FROM g`]);
    ctes.push(['rest', `SELECT * FROM ranked WHERE rk > ${spec.top.n}`]);
    const parts = [`SELECT *${compare ? ' EXCLUDE (pd)' : ''}, ${byPeriod ? 'p' : '0'} AS part, 0 AS is_others, ${cp} AS cp
      FROM ranked WHERE rk <= ${spec.top.n}`];
    if (spec.top.others) parts.push(others('rest'));
    ctes.push(['shaped', parts.join('\n UNION ALL BY NAME ')]);
    // Ties of the order items keep the rank (as RunQuery and its reference test do).
    ctes.push(['body', `SELECT * EXCLUDE (rk), row_number() OVER (ORDER BY part, is_others${orderTerms.map((o) => `, ${o}`).join('')}, rk) AS pos FROM shaped`]);
  } else {
    const pos = positioned ? `, row_number() OVER (ORDER BY ${[...orderTerms, ...canonical].join(', ')}) AS pos` : '';
    ctes.push(['body', `SELECT *${compare ? ' EXCLUDE (pd)' : ''}, ${cp} AS cp${pos} FROM g`]);
  }
  const lim = spec.limit === undefined ? '' : ` AND pos <= ${offset + spec.limit}`;
  ctes.push(['cut', cutting ? `SELECT * FROM body WHERE pos > ${offset}${lim}` : 'SELECT * FROM body']);

  // Output columns: the period, the dimensions, the measures, the comparison.
  const out = [];
  if (grain) out.push(`kp AS ${ident(timeColumn)}`);
  (spec.dimensions || []).forEach((d, i) => out.push(`k${i} AS ${ident(d)}`));
  measures.forEach((m, i) => out.push(`m${i} AS ${ident(m)}`));
  if (t && t.compare === 'target') {
    out.push('ct_target AS "revenue_target"', 'ct_change AS "revenue_change"', 'ct_pct AS "revenue_change_pct"');
  }
  const compareCols = [];
  if (compare) {
    const suffix = compare === 'previous' ? '_previous' : '_last_year';
    measures.forEach((m, i) => {
      const ratio = (MEASURES[m] || TABLE_MEASURES[m]).kind === 'ratio';
      // No comparison period (a total, "(others)", no such period): NULL; a
      // period without lines: 0, a ratio NULL.
      const then = `(CASE WHEN b.cp IS NULL THEN NULL WHEN c.p IS NULL THEN ${ratio ? 'NULL' : '0'} ELSE c.m${i} END)`;
      const change = `(b.m${i} - ${then})`;
      const pct = `(CASE WHEN ${then} = 0 THEN NULL ELSE 100.0::DOUBLE * CAST(${change} AS DOUBLE) / abs(CAST(${then} AS DOUBLE)) END)`;
      compareCols.push(`${then} AS c${i}_then, ${change} AS c${i}_change, ${pct} AS c${i}_pct`);
      out.push(`c${i}_then AS ${ident(m + suffix)}`, `c${i}_change AS ${ident(m + '_change')}`,
        `c${i}_pct AS ${ident(m + '_change_pct')}`);
    });
  }
  const bodyRows = compare
    ? `SELECT b.*, ${compareCols.join(', ')} FROM cut b LEFT JOIN cg c ON c.p = b.cp${ks.map((k) => ` AND c.${k} = b.${k}`).join('')}`
    : 'SELECT * FROM cut';
  if (!totals) {
    const body = ctes.map(([name, sql]) => `${name} AS (${sql})`).join(',\n');
    const order = positioned ? ['pos'] : [...orderTerms, ...canonical];
    return `WITH ${body}\nSELECT ${out.join(', ')} FROM (${bodyRows}) ORDER BY ${order.join(', ')}`;
  }
  // Totals over the groups that passed the filters (before top, offset and
  // limit): "(all)" in the rolled-up key columns, finer levels first.
  const keys = [...(grain ? [['p', 'kp']] : []), ...dims.map((_, i) => [`x${i}`, `k${i}`])];
  const sets = [];
  if (spec.totals === 'grand' || keys.length === 0) sets.push([]);
  else for (let n = keys.length - 1; n >= 0; --n) sets.push(keys.slice(0, n).flat());
  // A key column in no grouping set is rolled up in every row (DuckDB's
  // GROUPING() takes grouping columns only).
  const grouped = Math.max(...sets.map((s) => s.length)) / 2;
  const rolled = keys.map(([x, k], j) => (j < grouped
    ? `CASE WHEN GROUPING(${k}) = 1 THEN '(all)' ELSE ${k} END AS ${k}, ${x}`
    : `'(all)' AS ${k}, NULL AS ${x}`));
  const level = keys.slice(0, grouped).map(([, k]) => `GROUPING(${k})`).join(' + ') || '0';
  const sortKeys = keys.map(([x]) => `${x} ASC NULLS FIRST`);
  // Without measure filters every group passed.
  const passed = havingItems.length ? `WHERE EXISTS (SELECT 1 FROM g WHERE ${keyEq('g', 'f')})` : '';
  const groupingSets = `GROUP BY GROUPING SETS (${sets.map((s) => `(${s.join(', ')})`).join(', ')})`;
  ctes.push(['tot', tables ? rollupSql(rendered, [...rolled, `${level} AS lvl`], 'g', groupingSets)
    : `SELECT ${[...rolled, `${level} AS lvl`].join(', ')}${msel}
    FROM f ${passed} ${groupingSets} HAVING count(*) > 0`]);
  const body = ctes.map(([name, sql]) => `${name} AS (${sql})`).join(',\n');
  return `WITH ${body},
rows AS (SELECT 0 AS sec, * FROM (${bodyRows})
  UNION ALL BY NAME SELECT 1 AS sec, *, row_number() OVER (ORDER BY ${['lvl', ...sortKeys].join(', ')}) AS pos FROM tot)
SELECT ${out.join(', ')} FROM rows ORDER BY sec, pos`;
}
