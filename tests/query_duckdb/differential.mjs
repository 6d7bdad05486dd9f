// The differential test of the query engine against DuckDB (issue 14 item 6).
//
//   node differential.mjs --generator BIN --work DIR [--seed S] [--specs N] [--per-dataset K]
//                         [--table-specs M]
//
// Runs the generator (generate.cpp: random datasets, random specs and
// salesight's answers), loads each dataset into an in-memory DuckDB, runs each
// spec's SQL (sql.mjs, the one renderer) and compares: the same columns, the
// same rows (in order when the spec orders, limits or cuts to a top N; else as
// a set keyed by the key columns), money and counts exact, ratios within 1e-12
// relative, null = null. On a mismatch it prints the dataset, the spec JSON,
// the SQL and both results, and exits 1. N defaults to 9,000 specs, or
// SALESIGHT_DUCKDB_SPECS (the long mode; SALESIGHT_DUCKDB_SEED picks other
// datasets and specs). Besides them, M specs (2,000 by default, or
// SALESIGHT_DUCKDB_TABLE_SPECS) of the pipeline, receivables and targets
// measures (tables.hpp, sql_tables.mjs) over the same datasets: 11,000 in
// all (with compare, totals and "(others)" a table spec costs about twice
// what it did; 1,000 fewer orders specs pay for part of it).
import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync, rmSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { MONEY_SCALE, compare, load, openDuckDB, show } from './check.mjs';
import { renderSql } from './sql.mjs';

function parseArgs(argv) {
  const args = {
    seed: process.env.SALESIGHT_DUCKDB_SEED || '20261206',
    specs: Number(process.env.SALESIGHT_DUCKDB_SPECS || 9000),
    perDataset: 20,
    tableSpecs: Number(process.env.SALESIGHT_DUCKDB_TABLE_SPECS || 2000),
  };
  for (let i = 2; i < argv.length; i += 2) {
    const [k, v] = [argv[i], argv[i + 1]];
    if (v === undefined) throw new Error(`flag ${k} needs a value`);
    if (k === '--generator') args.generator = v;
    else if (k === '--work') args.work = v;
    else if (k === '--seed') args.seed = v;
    else if (k === '--specs') args.specs = Number(v);
    else if (k === '--per-dataset') args.perDataset = Number(v);
    else if (k === '--table-specs') args.tableSpecs = Number(v);
    else throw new Error(`unknown flag ${k}`);
  }
  if (!args.generator || !args.work) throw new Error('--generator and --work are required');
  return args;
}

async function main() {
  const args = parseArgs(process.argv);
  const datasets = Math.max(1, Math.ceil(args.specs / args.perDataset));
  rmSync(args.work, { recursive: true, force: true });
  execFileSync(args.generator, ['--out', args.work, '--datasets', String(datasets),
    '--specs', String(args.perDataset), '--table-specs', String(Math.ceil(args.tableSpecs / datasets)),
    '--seed', args.seed], { stdio: ['ignore', 'inherit', 'inherit'] });

  // Datasets are dealt to a few workers, each with its own in-memory DuckDB
  // (one thread each): queries this small cost DuckDB's fixed overhead, and
  // two run side by side on the machine's two cores.
  const names = readdirSync(args.work).sort();
  const workers = Math.max(1, Math.min(4, availableParallelism()));
  let passed = 0, failed = 0, nonempty = 0;
  const work = async (w) => {
    const { instance, conn } = await openDuckDB();
    for (let d = w; d < names.length; d += workers) {
      const dir = path.join(args.work, names[d]);
      const schema = await load(conn, dir);
      const lines = readFileSync(path.join(dir, 'specs.jsonl'), 'utf8').split('\n').filter(Boolean);
      for (const [i, line] of lines.entries()) {
        const { spec, result } = JSON.parse(line);
        const sql = renderSql(spec, schema, MONEY_SCALE);
        let columns, rows, problems;
        try {
          const reader = await conn.runAndReadAll(sql);
          columns = reader.columnNames();
          rows = reader.getRows();
          problems = compare(spec, result, columns, rows);
        } catch (e) {
          problems = [`duckdb: ${e.message}`];
        }
        if (problems.length === 0) {
          ++passed;
          nonempty += result.rows.length > 0;
          continue;
        }
        ++failed;
        if (failed <= 3) {
          console.log(`MISMATCH: dataset ${dir} spec ${i}\n${problems.join('\n')}\nspec: ${JSON.stringify(spec)}\nsql:\n${sql}\n` +
            `salesight ${JSON.stringify(result.columns)}:\n${show(result.rows)}\n` +
            `duckdb ${JSON.stringify(columns || [])}:\n${show(rows || [])}\n`);
        }
      }
    }
    conn.closeSync();
    instance.closeSync();
  };
  await Promise.all(Array.from({ length: workers }, (_, w) => work(w)));
  // A suite whose specs mostly select nothing would prove little (about half
  // of them have rows).
  const tooEmpty = nonempty < passed / 3;
  if (tooEmpty) console.log(`only ${nonempty} of ${passed} passing specs have rows`);
  console.log(`query.duckdb_differential: ${passed + failed} specs over ${datasets} datasets (${nonempty} with rows)`);
  console.log(`${passed} passed, ${failed} failed`);
  process.exit(failed || tooEmpty ? 1 : 0);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
