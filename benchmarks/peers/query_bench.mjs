// The 12 representative queries (issue 14 item 7), salesight vs DuckDB.
//
//   node query_bench.mjs --driver BIN --data BINDIR --csv CSVDIR [--queries DIR]
//        [--reps R] [--warmup W] [--threads "1 2"] [--markdown FILE] [--header TEXT]
//
// salesight: BIN (salesight_query_driver.cpp) holds the dataset of BINDIR in
// memory and times RunQuery alone. DuckDB: an in-memory database holding the
// same tables (CSVDIR, the driver's --export; loaded once with
// tests/query_duckdb/check.mjs load()), each query the SQL of
// tests/query_duckdb/sql.mjs (the one spec -> SQL renderer), timed as a
// `CREATE OR REPLACE TEMP TABLE r AS <sql>` (the result materialized).
// Before any timing, every query's two results are compared
// (check.mjs compare(): money and counts exact, ratios within 1e-12
// relative); a mismatch fails the run. Then, per repetition, per query,
// per thread count, the two engines run in turn (which one first alternates
// per repetition), W untimed warm-ups first. Reported: medians of wall and
// CPU time (CPU: the whole process, every thread), the ratios DuckDB /
// salesight at each thread count (wall, and CPU), and the verdict on the
// wall medians against the goals (>= 10x DuckDB at 2 threads, no
// query over 50 ms).
import { spawn } from 'node:child_process';
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { MONEY_SCALE, compare, load, openDuckDB, show } from '../../tests/query_duckdb/check.mjs';
import { renderSql } from '../../tests/query_duckdb/sql.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));

function parseArgs(argv) {
  const args = { queries: path.join(here, 'queries'), reps: 5, warmup: 1, threads: '1 2', markdown: '', header: '' };
  for (let i = 2; i < argv.length; i += 2) {
    const [k, v] = [argv[i], argv[i + 1]];
    if (v === undefined) throw new Error(`flag ${k} needs a value`);
    const key = k.replace(/^--/, '');
    if (!(key in args) && !['driver', 'data', 'csv'].includes(key)) throw new Error(`unknown flag ${k}`);
    args[key] = v;
  }
  if (!args.driver || !args.data || !args.csv) throw new Error('--driver, --data and --csv are required');
  args.reps = Number(args.reps);
  args.warmup = Number(args.warmup);
  args.threads = args.threads.split(/\s+/).filter(Boolean).map(Number);
  return args;
}

// The driver: one JSON line per command.
function startDriver(bin, data) {
  const child = spawn(bin, ['--data', data], { stdio: ['pipe', 'pipe', 'inherit'] });
  const lines = createInterface({ input: child.stdout });
  const waiting = [];
  lines.on('line', (l) => waiting.shift()(JSON.parse(l)));
  const next = () => new Promise((resolve) => waiting.push(resolve));
  return {
    ready: next(),
    ask(cmd) {
      const answer = next();
      child.stdin.write(`${cmd}\n`);
      return answer.then((a) => {
        if (!a.ok) throw new Error(`salesight: ${cmd}: ${a.error}`);
        return a;
      });
    },
    quit() { child.stdin.end('quit\n'); },
  };
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const n = s.length;
  return n % 2 ? s[(n - 1) / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
};
const fmt = (ms) => (ms < 10 ? ms.toFixed(2) : ms < 100 ? ms.toFixed(1) : ms.toFixed(0));

// The Markdown table of the repetitions timed so far.
function report(args, queries, times, done) {
  const goalT = args.threads.includes(2) ? 2 : args.threads[args.threads.length - 1];
  const head = ['query', 'rows'];
  for (const T of args.threads) head.push(`salesight ${T}T ms (CPU)`, `DuckDB ${T}T ms (CPU)`, `ratio ${T}T`);
  head.push('verdict');
  const out = [`| ${head.join(' | ')} |`, `|${head.map(() => '---').join('|')}|`];
  const misses = [];
  for (const q of queries) {
    const cells = [q.name, String(q.rows)];
    let verdict = [];
    for (const T of args.threads) {
      const s = times[q.name].salesight[T], d = times[q.name].duckdb[T];
      const sm = median(s.ms), dm = median(d.ms);
      const sc = median(s.cpu), dc = median(d.cpu);
      cells.push(`${fmt(sm)} (${fmt(sc)})`, `${fmt(dm)} (${fmt(dc)})`, `${(dm / sm).toFixed(1)}x (${(dc / sc).toFixed(1)}x)`);
      if (T === goalT) {
        if (dm / sm < 10) verdict.push(`< 10x at ${T}T`);
        if (sm > 50) verdict.push(`> 50 ms`);
      }
    }
    if (verdict.length) misses.push(q.name);
    cells.push(verdict.length ? `miss: ${verdict.join(', ')}` : 'meets both');
    out.push(`| ${cells.join(' | ')} |`);
  }
  const text = [args.header, '', ...out, '',
    `Medians of ${done} timed repetitions after ${args.warmup} warm-up; ms = wall, (CPU) = the engine process's CPU time over all threads; ratio = DuckDB / salesight, wall (CPU). ` +
    `Goals (issue 14): >= 10x DuckDB at ${goalT} threads and <= 50 ms per query. Misses: ${misses.length ? misses.join(', ') : 'none'}.`, ''].join('\n');
  if (args.markdown) writeFileSync(args.markdown, text);
  writeFileSync(path.join(args.csv, 'query_times.json'), JSON.stringify(times));
  return text;
}

async function main() {
  const args = parseArgs(process.argv);
  const files = readdirSync(args.queries).filter((f) => f.endsWith('.json')).sort();
  const queries = files.map((f) => {
    const file = path.join(args.queries, f);
    return { name: f.replace(/\.json$/, ''), file, spec: JSON.parse(readFileSync(file, 'utf8')) };
  });
  const driver = startDriver(args.driver, args.data);
  // tests/query_duckdb's DuckDB (@duckdb/node-api, the version bench_peers.sh
  // pins too); each run sets its thread count.
  const { instance, conn } = await openDuckDB();
  const t0 = performance.now();
  const schema = await load(conn, args.csv);
  console.error(`duckdb: tables loaded in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  const loaded = await driver.ready;
  console.error(`salesight: ${loaded.lines} lines loaded`);

  // The same answers first.
  let mismatches = 0;
  for (const q of queries) {
    q.sql = renderSql(q.spec, schema, MONEY_SCALE);
    const want = (await driver.ask(`result ${q.file} 2`)).result;
    const reader = await conn.runAndReadAll(q.sql);
    const problems = compare(q.spec, want, reader.columnNames(), reader.getRows());
    q.rows = want.rows.length;
    if (problems.length) {
      ++mismatches;
      console.log(`MISMATCH ${q.name}:\n${problems.join('\n')}\nsalesight:\n${show(want.rows.slice(0, 10))}\nduckdb:\n${show(reader.getRows().slice(0, 10))}\nsql:\n${q.sql}\n`);
    } else {
      console.error(`same result: ${q.name} (${q.rows} rows)`);
    }
  }
  if (mismatches) {
    driver.quit();
    process.exit(1);
  }

  // Timing, interleaved.
  const times = {};  // name -> engine -> T -> {ms: [], cpu: []}
  const record = (q, engine, T, ms, cpu) => {
    const at = (((times[q.name] ||= {})[engine] ||= {})[T] ||= { ms: [], cpu: [] });
    at.ms.push(ms);
    at.cpu.push(cpu);
  };
  const runSalesight = async (q, T) => {
    const a = await driver.ask(`run ${q.file} ${T}`);
    return [a.ms, a.cpu_ms];
  };
  const runDuckDB = async (q, T) => {
    await conn.run(`SET threads = ${T}`);
    await conn.run('DROP TABLE IF EXISTS r');
    const c0 = process.cpuUsage();
    const w0 = performance.now();
    await conn.run(`CREATE OR REPLACE TEMP TABLE r AS ${q.sql}`);
    const ms = performance.now() - w0;
    const c = process.cpuUsage(c0);
    return [ms, (c.user + c.system) / 1000];
  };
  for (let rep = 0; rep < args.warmup + args.reps; ++rep) {
    const timed = rep >= args.warmup;
    for (const q of queries) {
      for (const T of args.threads) {
        const order = rep % 2 ? [['duckdb', runDuckDB], ['salesight', runSalesight]]
          : [['salesight', runSalesight], ['duckdb', runDuckDB]];
        for (const [engine, run] of order) {
          const [ms, cpu] = await run(q, T);
          if (timed) record(q, engine, T, ms, cpu);
        }
      }
    }
    console.error(`repetition ${rep + 1} of ${args.warmup + args.reps}${timed ? '' : ' (warm-up)'} done`);
    // Written after every repetition: a run cut short still leaves its table.
    if (timed) report(args, queries, times, rep + 1 - args.warmup);
  }
  driver.quit();
  conn.closeSync();
  instance.closeSync();
  console.log(report(args, queries, times, args.reps));
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
