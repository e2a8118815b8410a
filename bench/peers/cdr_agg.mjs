// cdr_agg.mjs: DuckDB's side of bench/cdr_peers.sh. Reads a CDR CSV (gen_cdr's columns) and
// writes the per-caller aggregate (caller, calls, distinct callees, calls under 10 s, answered
// calls, talk seconds) to OUT as headerless CSV, ROUNDS times, and prints the best wall time
// with the CPU time (user + system, all of DuckDB's threads) of that round. The time covers
// reading and parsing the CSV, the GROUP BY, and writing the result.
// Usage: node cdr_agg.mjs CSV THREADS|default OUT [ROUNDS]
import { DuckDBInstance } from '@duckdb/node-api';

const [csv, threads, out, rounds = '3'] = process.argv.slice(2);
if (!csv || !threads || !out) {
    console.error('usage: node cdr_agg.mjs CSV THREADS|default OUT [ROUNDS]');
    process.exit(2);
}
const quote = (s) => `'${s.replaceAll("'", "''")}'`;
// Every column typed, so numbers such as 0088216... stay strings and nothing is sniffed.
const columns = `{'caller': 'VARCHAR', 'callee': 'VARCHAR', 'start_time': 'BIGINT',
  'duration_s': 'INTEGER', 'ring_s': 'INTEGER', 'direction': 'VARCHAR', 'type': 'VARCHAR',
  'cell_id': 'BIGINT', 'imei': 'VARCHAR', 'imsi': 'VARCHAR', 'trunk': 'VARCHAR'}`;
const query = `COPY (
  SELECT caller, count(*) AS calls, count(DISTINCT callee) AS callees,
         count(*) FILTER (WHERE duration_s < 10) AS short_calls,
         count(*) FILTER (WHERE duration_s > 0) AS answered, sum(duration_s) AS talk_s
  FROM read_csv(${quote(csv)}, header = true, delim = ',', quote = '"', columns = ${columns})
  GROUP BY caller
) TO ${quote(out)} (FORMAT csv, HEADER false)`;

const options = threads === 'default' ? {} : { threads: String(threads) };
const instance = await DuckDBInstance.create(':memory:', options);
const conn = await instance.connect();
const used = (await (await conn.runAndReadAll("SELECT current_setting('threads')")).getRows())[0][0];
let best = Infinity, bestCpu = 0;
for (let i = 0; i < Number(rounds); i++) {
    const c0 = process.cpuUsage();
    const t0 = process.hrtime.bigint();
    await conn.run(query);
    const secs = Number(process.hrtime.bigint() - t0) / 1e9;
    const c = process.cpuUsage(c0);
    if (secs < best) {
        best = secs;
        bestCpu = (c.user + c.system) / 1e6;
    }
}
const version = (await (await conn.runAndReadAll('SELECT version()')).getRows())[0][0];
console.log(`${best.toFixed(3)} ${bestCpu.toFixed(3)} ${used} ${version}`);
