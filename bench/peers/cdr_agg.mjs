// cdr_agg.mjs: DuckDB's side of bench/cdr_peers.sh. Reads a CDR CSV (gen_cdr's columns), runs
// the per-caller query in SQL_FILE over it (@SRC@ is the CSV, @DIV@ integer division) and
// writes the result to OUT as headerless CSV, ROUNDS times; prints the best wall time with the
// CPU time (user + system, all of DuckDB's threads) of that round. The time covers reading and
// parsing the CSV, the query, and writing the result.
// Usage: node cdr_agg.mjs CSV THREADS|default OUT ROUNDS SQL_FILE
import { readFileSync } from 'node:fs';
import { DuckDBInstance } from '@duckdb/node-api';

const [csv, threads, out, rounds, sqlFile] = process.argv.slice(2);
if (!csv || !threads || !out || !rounds || !sqlFile) {
    console.error('usage: node cdr_agg.mjs CSV THREADS|default OUT ROUNDS SQL_FILE');
    process.exit(2);
}
const quote = (s) => `'${s.replaceAll("'", "''")}'`;
// Every column typed, so numbers such as 0088216... stay strings and nothing is sniffed; the
// cell and the IMEI are text, as in SQLite (the queries treat NULL and '' alike).
const columns = `{'caller': 'VARCHAR', 'callee': 'VARCHAR', 'start_time': 'BIGINT',
  'duration_s': 'INTEGER', 'ring_s': 'INTEGER', 'direction': 'VARCHAR', 'type': 'VARCHAR',
  'cell_id': 'VARCHAR', 'imei': 'VARCHAR', 'imsi': 'VARCHAR', 'trunk': 'VARCHAR'}`;
const source = `read_csv(${quote(csv)}, header = true, delim = ',', quote = '"',
  columns = ${columns})`;
const select = readFileSync(sqlFile, 'utf8')
    .replace(/^--.*$/gm, '')
    .replaceAll('@SRC@', source)
    .replaceAll('@DIV@', '//');
const query = `COPY (${select}) TO ${quote(out)} (FORMAT csv, HEADER false)`;

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
