// The DuckDB engine of the peer comparison (issue 7): workloads (a)-(e) of
// docs/WORKLOADS.md as SQL, plus the CSV ingest, driven by run_peers.py.
//
//   node duckdb_workloads.mjs --data DIR [--csv FILE] [--as-of DAY]
//
// The process loads the exchange-format .bin files into in-memory tables
// BEFORE any timing (raw little-endian column bytes are memcpy'd into DuckDB
// vectors and appended chunk by chunk; no text is parsed), then answers one
// JSON line per command read from stdin (see run_peers.py for the protocol):
//   run <workload> <T>  -> {"ok":true,"ms":...}  time one repetition with T threads
//   write <workload> <dir> -> {"ok":true}         COPY the last run's outputs to <dir>/<table>.csv
//   quit                -> {"ok":true,"times":{...}} and exit
// A repetition sets `threads` and drops the previous outputs (untimed), then
// times every `CREATE TEMP TABLE ... AS` of the workload, so outputs are
// materialized. One process serves every thread count: the data are loaded
// (and held in memory) once.
// Dates are DATE with -1 loaded as NULL, as WORKLOADS.md asks.
import { readFileSync, statSync } from 'node:fs';
import { createInterface } from 'node:readline';
import duckdb from '@duckdb/node-bindings';
import {
  BIGINT, DATE, DuckDBDataChunk, DuckDBInstance, INTEGER, SMALLINT, TINYINT,
} from '@duckdb/node-api';

function parseArgs(argv) {
  const args = { csv: '', asOf: 19996 };
  for (let i = 2; i < argv.length; i += 2) {
    const [k, v] = [argv[i], argv[i + 1]];
    if (v === undefined) throw new Error(`flag ${k} needs a value`);
    if (k === '--data') args.data = v;
    else if (k === '--csv') args.csv = v;
    else if (k === '--as-of') args.asOf = Number(v);
    else throw new Error(`unknown flag ${k}`);
  }
  if (!args.data) throw new Error('--data is required');
  return args;
}

// Exchange format (WORKLOADS.md "Data"): column name -> dtype.
const TYPES = {
  i1: [TINYINT, 1], i2: [SMALLINT, 2], i4: [INTEGER, 4], i8: [BIGINT, 8], date: [DATE, 4],
};
const SCHEMA = {
  orders: [['order_id', 'i8'], ['customer_id', 'i4'], ['order_date', 'date'],
    ['amount_cents', 'i8'], ['product_id', 'i4'], ['quantity', 'i4'],
    ['unit_cost_cents', 'i8'], ['region_id', 'i1'], ['salesperson_id', 'i2']],
  opportunities: [['opp_id', 'i8'], ['customer_id', 'i4'], ['salesperson_id', 'i2'],
    ['region_id', 'i1'], ['created_date', 'date'], ['lead_date', 'date'],
    ['opportunity_date', 'date'], ['quote_date', 'date'], ['contract_date', 'date'],
    ['won_date', 'date'], ['paid_date', 'date']],
  invoices: [['invoice_id', 'i8'], ['order_id', 'i8'], ['customer_id', 'i4'],
    ['salesperson_id', 'i2'], ['invoice_date', 'date'], ['due_date', 'date'],
    ['amount_cents', 'i8'], ['paid_cents', 'i8'], ['paid_date', 'date']],
};

const DUCK_TYPE_SQL = { i1: 'TINYINT', i2: 'SMALLINT', i4: 'INTEGER', i8: 'BIGINT', date: 'DATE' };

// Appends the raw column files of one table. DuckDB's DATE is int32 days since
// 1970-01-01, the exchange format's own representation, so dates are copied as
// is and the -1 sentinel (1969-12-31) becomes NULL in a second, SQL step.
async function loadTable(connection, dir, table) {
  const cols = SCHEMA[table];
  const bufs = cols.map(([name]) => readFileSync(`${dir}/${table}/${name}.bin`));
  const rows = bufs[0].length / TYPES[cols[0][1]][1];
  cols.forEach(([name, t], i) => {
    if (bufs[i].length !== rows * TYPES[t][1]) {
      throw new Error(`${dir}/${table}/${name}.bin: ${bufs[i].length} bytes, expected ${rows} rows x ${TYPES[t][1]}`);
    }
  });
  const raw = `${table}_raw`;
  await connection.run(`CREATE TABLE ${raw} (${cols.map(([n, t]) => `${n} ${DUCK_TYPE_SQL[t]}`).join(', ')})`);
  const appender = await connection.createAppender(raw);
  const chunk = DuckDBDataChunk.create(cols.map(([, t]) => TYPES[t][0]));
  const step = duckdb.vector_size();
  for (let start = 0; start < rows; start += step) {
    const n = Math.min(step, rows - start);
    chunk.reset();
    chunk.rowCount = n;
    cols.forEach(([, t], i) => {
      const w = TYPES[t][1];
      duckdb.copy_data_to_vector(duckdb.data_chunk_get_vector(chunk.chunk, i), 0,
        bufs[i].buffer, bufs[i].byteOffset + start * w, n * w);
    });
    appender.appendDataChunk(chunk);
  }
  appender.closeSync();
  const select = cols.map(([n, t]) => (t === 'date' ? `NULLIF(${n}, DATE '1969-12-31') AS ${n}` : n));
  await connection.run(`CREATE TABLE ${table} AS SELECT ${select.join(', ')} FROM ${raw}`);
  await connection.run(`DROP TABLE ${raw}`);
  return rows;
}

function isoDate(day) {
  return new Date(day * 86400000).toISOString().slice(0, 10);
}

// Workload SQL: each entry is [output table, CREATE statement, ORDER BY keys].
function workloads(asOf, csv) {
  const D = `DATE '${isoDate(asOf)}'`;
  const stages = ['lead', 'opportunity', 'quote', 'contract', 'won', 'paid'];
  const funnelCols = [
    ...stages.map((s) => `count(${s}_date) AS n_${s}`),
    ...stages.slice(1).map((s, i) =>
      `count(${s}_date)::DOUBLE / NULLIF(count(${stages[i]}_date), 0) AS conv_${s}`),
    ...stages.slice(1).map((s, i) =>
      `quantile_cont(${s}_date - ${stages[i]}_date, 0.5) AS med_${s}`),
  ].join(',\n    ');
  const w = {
    rfm: [
      ['rfm', `CREATE TEMP TABLE rfm AS
  WITH base AS (
    SELECT customer_id, ${D} - max(order_date) AS recency, count(*) AS frequency,
           sum(amount_cents) AS monetary
    FROM orders WHERE order_date <= ${D} GROUP BY customer_id),
  scored AS (
    SELECT *, ntile(5) OVER (ORDER BY recency DESC, customer_id ASC) AS r,
              ntile(5) OVER (ORDER BY frequency ASC, customer_id ASC) AS f,
              ntile(5) OVER (ORDER BY monetary ASC, customer_id ASC) AS m
    FROM base)
  SELECT customer_id, recency, frequency, monetary, r, f, m,
    CASE WHEN r >= 4 AND f >= 4 AND m >= 4 THEN 'champions'
         WHEN r >= 3 AND f >= 3 THEN 'loyal'
         WHEN r >= 4 AND f <= 2 THEN 'new'
         WHEN r <= 2 AND f >= 4 THEN 'cant_lose'
         WHEN r <= 2 AND f >= 2 THEN 'at_risk'
         WHEN r <= 2 THEN 'lost'
         ELSE 'need_attention' END AS segment
  FROM scored`, 'customer_id'],
    ],
    funnel: [
      ['funnel_overall', `CREATE TEMP TABLE funnel_overall AS
  SELECT ${funnelCols} FROM opportunities`, ''],
      ['funnel_group', `CREATE TEMP TABLE funnel_group AS
  SELECT region_id, year(created_date) * 100 + month(created_date) AS month,
    ${funnelCols}
  FROM opportunities GROUP BY ALL`, 'region_id, month'],
    ],
    margin: [
      ['margin_product', `CREATE TEMP TABLE margin_product AS
  WITH s AS (SELECT product_id, sum(amount_cents) AS revenue,
                    sum(quantity::BIGINT * unit_cost_cents) AS cost
             FROM orders GROUP BY product_id)
  SELECT product_id, revenue, cost, revenue - cost AS margin,
         100.0::DOUBLE * (revenue - cost)::DOUBLE / NULLIF(revenue, 0)::DOUBLE AS margin_pct
  FROM s`, 'product_id'],
      ['margin_top20', `CREATE TEMP TABLE margin_top20 AS
  SELECT row_number() OVER (ORDER BY margin DESC, product_id ASC) AS rank, product_id, margin
  FROM margin_product ORDER BY margin DESC, product_id ASC LIMIT 20`, 'rank'],
      ['margin_region_month', `CREATE TEMP TABLE margin_region_month AS
  WITH s AS (SELECT region_id, year(order_date) * 100 + month(order_date) AS month,
                    sum(amount_cents) AS revenue, sum(quantity::BIGINT * unit_cost_cents) AS cost
             FROM orders GROUP BY ALL)
  SELECT region_id, month, revenue, cost, revenue - cost AS margin,
         100.0::DOUBLE * (revenue - cost)::DOUBLE / NULLIF(revenue, 0)::DOUBLE AS margin_pct
  FROM s`, 'region_id, month'],
    ],
    ar: [
      ['ar_customer', `CREATE TEMP TABLE ar_customer AS
  WITH i AS (
    SELECT customer_id, ${D} - due_date AS dpd,
           amount_cents - CASE WHEN paid_date <= ${D} THEN paid_cents ELSE 0 END AS outstanding
    FROM invoices WHERE invoice_date <= ${D})
  SELECT customer_id,
    sum(CASE WHEN dpd <= 0 THEN outstanding ELSE 0 END) AS b_current,
    sum(CASE WHEN dpd BETWEEN 1 AND 30 THEN outstanding ELSE 0 END) AS b_1_30,
    sum(CASE WHEN dpd BETWEEN 31 AND 60 THEN outstanding ELSE 0 END) AS b_31_60,
    sum(CASE WHEN dpd BETWEEN 61 AND 90 THEN outstanding ELSE 0 END) AS b_61_90,
    sum(CASE WHEN dpd > 90 THEN outstanding ELSE 0 END) AS b_over_90,
    sum(outstanding) AS total
  FROM i WHERE outstanding > 0 GROUP BY customer_id`, 'customer_id'],
      ['ar_salesperson', `CREATE TEMP TABLE ar_salesperson AS
  WITH s AS (
    SELECT salesperson_id, sum(amount_cents) AS billed,
           sum(CASE WHEN paid_date <= ${D} THEN paid_cents ELSE 0 END) AS collected
    FROM invoices WHERE invoice_date <= ${D} AND due_date <= ${D} GROUP BY salesperson_id)
  SELECT salesperson_id, billed, collected,
         collected::DOUBLE / NULLIF(billed, 0)::DOUBLE AS collection_rate
  FROM s`, 'salesperson_id'],
    ],
    trend: [
      ['trend_month', `CREATE TEMP TABLE trend_month AS
  WITH m AS (SELECT year(order_date) * 100 + month(order_date) AS month,
                    sum(amount_cents) AS revenue FROM orders GROUP BY ALL)
  SELECT m.month, m.revenue, ly.revenue AS revenue_ly,
         (m.revenue - ly.revenue)::DOUBLE / NULLIF(ly.revenue, 0)::DOUBLE AS yoy
  FROM m LEFT JOIN m AS ly ON ly.month = m.month - 100`, 'month'],
      ['trend_week', `CREATE TEMP TABLE trend_week AS
  WITH w AS (SELECT isoyear(order_date) AS iso_year, week(order_date) AS iso_week,
                    sum(amount_cents) AS revenue FROM orders GROUP BY ALL)
  SELECT w.iso_year, w.iso_week, w.revenue, ly.revenue AS revenue_ly,
         (w.revenue - ly.revenue)::DOUBLE / NULLIF(ly.revenue, 0)::DOUBLE AS yoy
  FROM w LEFT JOIN w AS ly ON ly.iso_year = w.iso_year - 1 AND ly.iso_week = w.iso_week`,
      'iso_year, iso_week'],
    ],
  };
  if (csv) {
    // The columns of WriteSampleCsv's orders.csv that the comparison needs are
    // typed explicitly (money as exact DECIMAL, ISO dates), the rest
    // auto-detected, as a user who knows the file would call read_csv.
    w.ingest = [
      ['ingest_orders', `CREATE TEMP TABLE ingest_orders AS
  SELECT * FROM read_csv('${csv.replaceAll("'", "''")}', header = true,
    types = {'${INGEST.date}': 'DATE', '${INGEST.amount}': 'DECIMAL(18,2)',
             '${INGEST.quantity}': 'INTEGER'})`, null],
    ];
  }
  return w;
}

// Header names of the orders CSV written by `salesight generate --format csv`.
const INGEST = {
  customer: 'customer', product: 'product', date: 'order_date', amount: 'amount',
  quantity: 'quantity',
};

// The ingest "output" is a checksum row both engines can compute from what
// they loaded (ids differ between engines, codes do not).
function ingestSummarySql() {
  return `SELECT count(*) AS rows,
    sum((${INGEST.amount} * 100)::BIGINT) AS amount_cents_sum,
    sum(${INGEST.quantity}::BIGINT) AS quantity_sum,
    sum(${INGEST.date} - DATE '1970-01-01') AS order_day_sum,
    count(DISTINCT ${INGEST.customer}) AS customers,
    count(DISTINCT ${INGEST.product}) AS products
  FROM ingest_orders`;
}

function rssBytes() {
  return process.memoryUsage().rss;
}

async function main() {
  const args = parseArgs(process.argv);
  const instance = await DuckDBInstance.create(':memory:', { threads: '1' });
  let threads = 1;
  const connection = await instance.connect();
  const t0 = process.hrtime.bigint();
  const rows = {};
  for (const table of Object.keys(SCHEMA)) rows[table] = await loadTable(connection, args.data, table);
  const loadMs = Number(process.hrtime.bigint() - t0) / 1e6;
  const W = workloads(args.asOf, args.csv && statSync(args.csv).isFile() ? args.csv : '');
  const times = {};
  const reply = (o) => process.stdout.write(`${JSON.stringify(o)}\n`);
  reply({ ok: true, ready: true, engine: 'duckdb',
    version: (await (await connection.runAndReadAll('SELECT version() AS v')).getRows())[0][0],
    load_ms: loadMs, rows, rss_after_load: rssBytes() });

  const rl = createInterface({ input: process.stdin });
  for await (const line of rl) {
    const [cmd, name, arg] = line.trim().split(/\s+/);
    try {
      if (cmd === 'quit') {
        reply({ ok: true, times });
        break;
      }
      if (cmd !== 'run' && cmd !== 'write') throw new Error(`unknown command '${line}'`);
      const outputs = W[name];
      if (!outputs) {
        reply({ ok: true, not_yet: true });
        continue;
      }
      if (cmd === 'run') {
        const t = Number(arg);
        if (!(t >= 1)) throw new Error(`run ${name}: thread count '${arg}' is not >= 1`);
        if (t !== threads) {
          await connection.run(`SET threads = ${t}`);
          threads = t;
        }
        for (const [table] of outputs) await connection.run(`DROP TABLE IF EXISTS ${table}`);
        const start = process.hrtime.bigint();
        for (const [, sql] of outputs) await connection.run(sql);
        const ms = Number(process.hrtime.bigint() - start) / 1e6;
        (times[`${name} ${t}T`] ??= []).push(ms);
        reply({ ok: true, ms });
      } else if (cmd === 'write') {
        if (!arg) throw new Error(`write ${name}: no output folder`);
        for (const [table, , keys] of outputs) {
          const query = keys === null ? ingestSummarySql()
            : `SELECT * FROM ${table}${keys ? ` ORDER BY ${keys}` : ''}`;
          const file = keys === null ? 'ingest_summary' : table;
          const path = `${arg}/${file}.csv`.replaceAll("'", "''");
          await connection.run(`COPY (${query}) TO '${path}' (HEADER, DELIMITER ',')`);
        }
        reply({ ok: true });
      }
    } catch (e) {
      reply({ ok: false, error: String(e && e.message ? e.message : e) });
    }
  }
  connection.closeSync();
  instance.closeSync();
}

main().catch((e) => {
  process.stdout.write(`${JSON.stringify({ ok: false, error: String(e && e.stack ? e.stack : e) })}\n`);
  process.exit(1);
});
