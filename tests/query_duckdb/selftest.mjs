// The differential test's own test: the SQL renderer (sql.mjs, sql_tables.mjs) on a dataset
// small enough to compute by hand, and the comparer (check.mjs) failing on a
// cent, a ratio off by more than 1e-12 relative, a null for a zero and a
// missing row. Without it a renderer that agreed with salesight by sharing a
// mistake, or a comparer that passed everything, would go unseen.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { MONEY_SCALE, compare, load, openDuckDB } from './check.mjs';
import { renderSql } from './sql.mjs';

// Order 1 (customer A) has a January and a February line; B's first line is a
// return, so B's first purchase is Feb 21. P3 and B have no master row.
const LINES = `order_id,order_date,customer,product,region,salesperson,quantity,amount,cost,Seg
1,2024-01-10,"A","P1","East","Ann",2,1000,600,""
1,2024-02-05,"A","P2","West","Ann",1,500,700,"Home"
2,2024-02-20,"B","P1","East","Bob",-1,-300,-200,"Home"
3,2024-02-21,"B","P3","East","Bob",1,800,100,"Corporate"
`;
const PRODUCTS = 'product,category,standard_cost\n"P1","Furniture",\n"P2","Office",\n';
const CUSTOMERS = 'customer,Tier\n"A","Gold"\n';

const M = 'money', I = 'int', D = 'double', S = 'string';
const CASES = [
  {
    // Jan: line 1 only. Feb: order 1 counted in January; A returning, B new.
    spec: { measures: ['revenue', 'margin', 'margin_pct', 'orders', 'customers', 'new_customers', 'aov'],
      time: { dimension: 'order_date', grain: 'month' }, totals: 'grand' },
    want: {
      columns: ['order_date.month', 'revenue', 'margin', 'margin_pct', 'orders', 'customers', 'new_customers', 'aov'],
      types: [S, M, M, D, I, I, I, D],
      rows: [['2024-01', '1000', '400', '40', '1', '1', '1', '10'],
        ['2024-02', '1000', '400', '40', '2', '2', '1', '5'],
        ['(all)', '2000', '800', '40', '3', '2', '2', String(2000 / 3 / 100)]],
    },
  },
  {
    // "(none)" (P3 has no master row) sorts first; the filter drops it.
    spec: { measures: ['revenue', 'return_amount'], dimensions: ['category'], order: [{ member: 'category' }] },
    want: { columns: ['category', 'revenue', 'return_amount'], types: [S, M, M],
      rows: [['(none)', '800', '0'], ['Furniture', '700', '-300'], ['Office', '500', '0']] },
  },
  {
    spec: { measures: ['revenue'], dimensions: ['category'], order: [{ member: 'category' }],
      filters: [{ member: 'category', op: 'notEquals', values: ['(none)'] }] },
    want: { columns: ['category', 'revenue'], types: [S, M], rows: [['Furniture', '700'], ['Office', '500']] },
  },
  {
    spec: { measures: ['revenue', 'customers'], dimensions: ['Tier'] },
    want: { columns: ['Tier', 'revenue', 'customers'], types: [S, M, I], rows: [['(none)', '500', '1'], ['Gold', '1500', '1']] },
  },
  {
    // Seg "" is a member but not set.
    spec: { measures: ['revenue', 'lines'], filters: [{ member: 'Seg', op: 'set' }] },
    want: { columns: ['revenue', 'lines'], types: [M, I], rows: [['1000', '3']] },
  },
  {
    spec: { measures: ['revenue', 'orders'], dimensions: ['region'], top: { n: 1, others: true } },
    want: { columns: ['region', 'revenue', 'orders'], types: [S, M, I], rows: [['East', '1500', '3'], ['(others)', '500', '1']] },
  },
  {
    // December has no lines: 0 before, no percentage.
    spec: { measures: ['revenue'], time: { dimension: 'order_date', grain: 'month', compare: 'previous' } },
    want: { columns: ['order_date.month', 'revenue', 'revenue_previous', 'revenue_change', 'revenue_change_pct'],
      types: [S, M, M, M, D], rows: [['2024-01', '1000', '0', '1000', null], ['2024-02', '1000', '1000', '0', '0']] },
  },
  {
    spec: { measures: ['revenue'], dimensions: ['region'],
      filters: [{ member: 'revenue', op: 'gt', values: [10] }] },
    want: { columns: ['region', 'revenue'], types: [S, M], rows: [['East', '1500']] },
  },
];

// The pipeline, receivables and targets measures (sql_tables.mjs). Stages
// s0..s5, won = s4. Opportunity 1 is open at stage 1, 2 won, 3 lost at stage
// 1, 4 open at stage 0, 5 (Cy: no orders) open at stage 0. Stage-to-won
// probabilities: s0 and s1 1/2 (2 won, 3 lost), s2..s4 1, s5 none.
const PIPELINE = `opportunity,customer,salesperson,region,amount,created,lost_date,s0,s1,s2,s3,s4,s5
1,"A","Ann","East",1000,2024-01-05,,2024-01-05,2024-01-10,,,,
2,"B","Ann","East",2000,2024-01-20,,2024-01-20,2024-01-25,2024-02-01,2024-02-10,2024-02-20,
3,"A","Bob","West",500,2024-02-03,2024-02-15,2024-02-03,2024-02-05,,,,
4,"B","Bob","West",800,2024-02-10,,2024-02-10,,,,,
5,"C","Cy","North",300,2024-03-01,,2024-03-01,,,,,
`;
// 1 paid in full before its due date, 2 a quarter paid late, 3 unpaid.
const INVOICES = `invoice,customer,salesperson,region,invoice_date,due_date,amount,paid,paid_date
1,"A","Ann","East",2024-01-10,2024-02-09,1000,1000,2024-02-01
2,"B","Ann","East",2024-01-20,2024-02-19,2000,500,2024-03-15
3,"A","Bob","West",2024-02-15,2024-03-16,3000,0,
`;
// 1000 a day for Ann in January and February, 100 a day for Bob in February.
const TARGETS = 'salesperson,month,amount\n"Ann",202401,31000\n"Ann",202402,29000\n"Bob",202402,2900\n';
CASES.push(
  {
    // Weighted: Ann 10.00 x 1/2 (stage 1), Bob 8.00 x 1/2, Cy 3.00 x 1/2 (stage 0).
    spec: { measures: ['opportunities', 'won', 'lost', 'win_rate', 'pipeline_amount', 'weighted_pipeline'], dimensions: ['salesperson'] },
    want: { columns: ['salesperson', 'opportunities', 'won', 'lost', 'win_rate', 'pipeline_amount', 'weighted_pipeline'],
      types: [S, I, I, I, D, M, D],
      rows: [['Ann', '2', '1', '0', '1', '1000', '5'], ['Bob', '2', '0', '1', '0', '800', '4'], ['Cy', '1', '0', '0', null, '300', '1.5']] },
  },
  {
    // As of Feb 12 nothing is closed: 2 is at stage 3, 3 not yet lost; no
    // stage has a probability, so open amount makes weighted null.
    spec: { measures: ['won', 'lost', 'win_rate', 'pipeline_amount', 'weighted_pipeline'],
      time: { dimension: 'created', range: [null, '2024-02-12'] } },
    want: { columns: ['won', 'lost', 'win_rate', 'pipeline_amount', 'weighted_pipeline'], types: [I, I, D, M, D],
      rows: [['0', '0', null, '4300', null]] },
  },
  {
    // Due in February, as of Feb 29: 1 collected, 2 not yet.
    spec: { measures: ['billed', 'collected', 'collection_rate'], dimensions: ['salesperson'],
      time: { dimension: 'due_date', range: ['2024-02-01', '2024-02-29'] } },
    want: { columns: ['salesperson', 'billed', 'collected', 'collection_rate'], types: [S, M, M, D],
      rows: [['Ann', '3000', '1000', String(1000 / 3000)]] },
  },
  {
    // Month ends: Jan 1000 + 2000 open; Feb 2000 (overdue) + 3000; Mar 1500
    // + 3000, both overdue. dso = outstanding / credit sales x days.
    spec: { measures: ['outstanding', 'overdue', 'credit_sales', 'dso'],
      time: { dimension: 'invoice_date', grain: 'month', range: ['2024-01-01', '2024-03-31'] } },
    want: { columns: ['invoice_date.month', 'outstanding', 'overdue', 'credit_sales', 'dso'], types: [S, M, M, M, D],
      rows: [['2024-01', '3000', '0', '3000', '31'], ['2024-02', '5000', '2000', '3000', String(5000 / 3000 * 29)],
        ['2024-03', '4500', '4500', '0', null]] },
  },
  {
    // Jan 16 - Feb 14: Ann 16 + 14 days x 1000, Bob 14 days x 100.
    spec: { measures: ['revenue', 'target', 'attainment_pct'], dimensions: ['salesperson'],
      time: { dimension: 'order_date', range: ['2024-01-16', '2024-02-14'] } },
    want: { columns: ['salesperson', 'revenue', 'target', 'attainment_pct'], types: [S, M, M, D],
      rows: [['Ann', '500', '30000', String(500 / 30000 * 100)], ['Bob', '0', '1400', '0']] },
  },
  {
    // Every table's groups: Cy has only an opportunity. As of the latest
    // invoice date (Feb 15) only invoice 1 is due.
    spec: { measures: ['revenue', 'opportunities', 'billed'], dimensions: ['salesperson'] },
    want: { columns: ['salesperson', 'revenue', 'opportunities', 'billed'], types: [S, M, I, M],
      rows: [['Ann', '1500', '2', '1000'], ['Bob', '500', '2', '0'], ['Cy', '0', '1', '0']] },
  },
  {
    // A total sums the components: win rate 1 / (1 + 1), weighted
    // (10 + 8 + 3) x 1/2, not the groups' ratios.
    spec: { measures: ['opportunities', 'won', 'lost', 'win_rate', 'pipeline_amount', 'weighted_pipeline'],
      dimensions: ['salesperson'], totals: 'grand' },
    want: { columns: ['salesperson', 'opportunities', 'won', 'lost', 'win_rate', 'pipeline_amount', 'weighted_pipeline'],
      types: [S, I, I, I, D, M, D],
      rows: [['Ann', '2', '1', '0', '1', '1000', '5'], ['Bob', '2', '0', '1', '0', '800', '4'],
        ['Cy', '1', '0', '0', null, '300', '1.5'], ['(all)', '5', '1', '1', '0.5', '2100', '10.5']] },
  },
  {
    // A snapshot over several months is null; credit sales add up.
    spec: { measures: ['outstanding', 'credit_sales'], totals: 'grand',
      time: { dimension: 'invoice_date', grain: 'month', range: ['2024-01-01', '2024-03-31'] } },
    want: { columns: ['invoice_date.month', 'outstanding', 'credit_sales'], types: [S, M, M],
      rows: [['2024-01', '3000', '3000'], ['2024-02', '5000', '3000'], ['2024-03', '4500', '0'], ['(all)', null, '6000']] },
  },
  {
    // "(others)": Bob's target and revenue (none in the range).
    spec: { measures: ['target', 'attainment_pct'], dimensions: ['salesperson'], top: { n: 1, others: true },
      time: { dimension: 'order_date', range: ['2024-01-16', '2024-02-14'] } },
    want: { columns: ['salesperson', 'target', 'attainment_pct'], types: [S, M, D],
      rows: [['Ann', '30000', String(500 / 30000 * 100)], ['(others)', '1400', '0']] },
  },
  {
    // Without a range start the query's own months compare: Dec has none.
    spec: { measures: ['opportunities'], time: { dimension: 'created', grain: 'month', compare: 'previous' } },
    want: { columns: ['created.month', 'opportunities', 'opportunities_previous', 'opportunities_change', 'opportunities_change_pct'],
      types: [S, I, I, I, D],
      rows: [['2024-01', '2', '0', '2', null], ['2024-02', '2', '2', '0', '0'], ['2024-03', '1', '2', '-1', '-50']] },
  },
  {
    // March against February as of Feb 29: invoice 2's payment (Mar 15) is
    // not collected then.
    spec: { measures: ['billed', 'collected'],
      time: { dimension: 'due_date', grain: 'month', range: ['2024-03-01', '2024-03-31'], compare: 'previous' } },
    want: { columns: ['due_date.month', 'billed', 'collected', 'billed_previous', 'billed_change', 'billed_change_pct',
      'collected_previous', 'collected_change', 'collected_change_pct'], types: [S, M, M, M, M, D, M, M, D],
      rows: [['2024-03', '3000', '0', '3000', '0', '0', '1000', '-1000', '-100']] },
  },
);

const dir = mkdtempSync(path.join(tmpdir(), 'salesight-duckdb-selftest-'));
let failures = 0;
try {
  writeFileSync(path.join(dir, 'lines.csv'), LINES);
  writeFileSync(path.join(dir, 'products.csv'), PRODUCTS);
  writeFileSync(path.join(dir, 'customers.csv'), CUSTOMERS);
  writeFileSync(path.join(dir, 'pipeline.csv'), PIPELINE);
  writeFileSync(path.join(dir, 'invoices.csv'), INVOICES);
  writeFileSync(path.join(dir, 'targets.csv'), TARGETS);
  const { instance, conn } = await openDuckDB();
  const schema = await load(conn, dir);
  for (const { spec, want } of CASES) {
    const reader = await conn.runAndReadAll(renderSql(spec, schema, MONEY_SCALE));
    const problems = compare(spec, want, reader.columnNames(), reader.getRows());
    if (problems.length) {
      ++failures;
      console.log(`FAIL ${JSON.stringify(spec)}\n${problems.join('\n')}`);
    }
  }
  conn.closeSync();
  instance.closeSync();
} finally {
  rmSync(dir, { recursive: true, force: true });
}

// The comparer fails on what must fail.
const spec = { measures: ['revenue', 'aov'], order: [{ member: 'revenue' }] };
const want = { columns: ['revenue', 'aov'], types: [M, D], rows: [['1000', '0.1']] };
const cols = ['revenue', 'aov'];
assert.deepEqual(compare(spec, want, cols, [[1000n, 0.1 * (1 + 1e-14)]]), []);
assert.equal(compare(spec, want, cols, [[1001n, 0.1]]).length, 1);
assert.equal(compare(spec, want, cols, [[1000n, 0.1 * (1 + 1e-10)]]).length, 1);
assert.equal(compare(spec, want, cols, [[1000n, null]]).length, 1);
assert.equal(compare(spec, { ...want, rows: [['1000', null]] }, cols, [[1000n, 0]]).length, 1);
assert.equal(compare(spec, want, cols, []).length, 1);
assert.equal(compare(spec, want, ['revenue', 'aov_x'], [[1000n, 0.1]]).length, 1);

console.log(`${CASES.length - failures} passed, ${failures} failed`);
process.exit(failures ? 1 : 0);
