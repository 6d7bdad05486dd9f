// Loading a generated dataset into DuckDB and comparing a result with
// salesight's (differential.mjs, selftest.mjs).
import { closeSync, existsSync, openSync, readSync } from 'node:fs';
import path from 'node:path';

// An in-memory DuckDB with one thread, or an error that says how to install it.
export async function openDuckDB() {
  let api;
  try {
    api = await import('@duckdb/node-api');
  } catch (e) {
    throw new Error(`@duckdb/node-api is not installed in tests/query_duckdb (run bash scripts/setup.sh): ${e.message}`);
  }
  const instance = await api.DuckDBInstance.create(':memory:', { threads: '1' });
  return { instance, conn: await instance.connect() };
}

export const MONEY_SCALE = 2;  // the generator's datasets (kDefaultMoneyScale)
const RELATIVE = 1e-12;

const sqlText = (s) => `'${s.replaceAll("'", "''")}'`;
// The first line only (the peer harness's tables are larger than a JS string).
function header(file) {
  const fd = openSync(file, 'r');
  const buf = Buffer.alloc(65536);
  const n = readSync(fd, buf, 0, buf.length, 0);
  closeSync(fd);
  return buf.subarray(0, n).toString('utf8').split('\n', 1)[0].split(',');
}

// The dataset's tables, typed as the generator wrote them. Lines keep an
// empty text as a member (nullstr is never written); products' empty
// standard_cost is NULL (no standard cost).
export async function load(conn, dir) {
  const schema = {
    lines: header(path.join(dir, 'lines.csv')),
    products: header(path.join(dir, 'products.csv')),
    customers: header(path.join(dir, 'customers.csv')),
  };
  const TYPES = {
    order_id: 'BIGINT', order_date: 'DATE', quantity: 'INTEGER', amount: 'BIGINT', cost: 'BIGINT', standard_cost: 'BIGINT',
    opportunity: 'BIGINT', created: 'DATE', lost_date: 'DATE', invoice: 'BIGINT', invoice_date: 'DATE',
    due_date: 'DATE', paid: 'BIGINT', paid_date: 'DATE', month: 'INTEGER',
  };
  const typeOf = (c) => TYPES[c] || (/^s\d+$/.test(c) ? 'DATE' : 'VARCHAR');
  // The pipeline, invoices and targets (tables.hpp): an empty cell is NULL (a date not reached).
  const tables = [['lines', '\\N'], ['products', ''], ['customers', '\\N']];
  for (const table of ['pipeline', 'invoices', 'targets']) {
    if (existsSync(path.join(dir, `${table}.csv`))) {
      schema[table] = header(path.join(dir, `${table}.csv`));
      tables.push([table, '']);
    }
  }
  for (const [table, nullstr] of tables) {
    const cols = schema[table].map((c) => `${sqlText(c)}: '${typeOf(c)}'`).join(', ');
    await conn.run(`CREATE OR REPLACE TABLE ${table} AS SELECT * FROM read_csv(${sqlText(path.join(dir, `${table}.csv`))},
      header = true, quote = '"', escape = '"', nullstr = ${sqlText(nullstr)}, auto_detect = false, columns = {${cols}})`);
  }
  return schema;
}

function sameValue(type, want, got) {
  if (want === null || got === null) return want === got;
  if (type === 'string') return typeof got === 'string' && got === want;
  if (type === 'double') {
    const a = Number(want), b = Number(got);
    return a === b || Math.abs(a - b) <= RELATIVE * Math.max(Math.abs(a), Math.abs(b));
  }
  return (typeof got === 'bigint' || typeof got === 'number') && String(got) === want;
}

// Rows as the engine orders them, or (when the spec does not order) sorted by
// their key columns' text on both sides.
export function compare(spec, want, names, got) {
  const problems = [];
  if (JSON.stringify(want.columns) !== JSON.stringify(names)) {
    problems.push(`columns differ: salesight ${JSON.stringify(want.columns)}, duckdb ${JSON.stringify(names)}`);
    return problems;
  }
  if (want.rows.length !== got.length) problems.push(`rows: salesight ${want.rows.length}, duckdb ${got.length}`);
  const ordered = (spec.order && spec.order.length) || spec.top || spec.limit !== undefined || spec.offset;
  let a = want.rows, b = got;
  if (!ordered) {
    const keys = want.types.map((t, i) => (t === 'string' ? i : -1)).filter((i) => i >= 0);
    const key = (r) => keys.map((i) => r[i]).join('\u0000');
    const byKey = (x, y) => (key(x) < key(y) ? -1 : key(x) > key(y) ? 1 : 0);
    a = [...a].sort(byKey);
    b = [...b].sort(byKey);
  }
  for (let r = 0; r < Math.min(a.length, b.length) && problems.length < 5; ++r) {
    for (let c = 0; c < names.length; ++c) {
      if (!sameValue(want.types[c], a[r][c], b[r][c])) {
        problems.push(`row ${r} column ${names[c]}: salesight ${JSON.stringify(a[r][c])}, duckdb ${String(b[r][c])}`);
      }
    }
  }
  return problems;
}

export const show = (rows) => rows.map((r) => JSON.stringify(r, (_, v) => (typeof v === 'bigint' ? v.toString() : v))).join('\n');

