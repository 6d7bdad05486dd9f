// The differential test's own test: the SQL renderer (sql.mjs) on a dataset
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

const dir = mkdtempSync(path.join(tmpdir(), 'salesight-duckdb-selftest-'));
let failures = 0;
try {
  writeFileSync(path.join(dir, 'lines.csv'), LINES);
  writeFileSync(path.join(dir, 'products.csv'), PRODUCTS);
  writeFileSync(path.join(dir, 'customers.csv'), CUSTOMERS);
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
