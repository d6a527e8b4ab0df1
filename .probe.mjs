import { DuckDBInstance } from '@duckdb/node-api';
const inst = await DuckDBInstance.create(':memory:');
const con = await inst.connect();
for (const f of process.argv.slice(2)) {
  for (const sql of [`DESCRIBE SELECT * FROM read_csv('${f}', header = true, all_varchar = true, delim = ',', quote = '"', escape = '"')`,
     `SELECT * FROM read_csv('${f}', header = true, all_varchar = true, delim = ',', quote = '"', escape = '"', strict_mode = true, null_padding = false, auto_detect = false, columns = {'customer_id': 'VARCHAR', 'signup_date': 'VARCHAR'})`]) {
    try { const r = await con.runAndReadAll(sql); console.log(f, 'OK', JSON.stringify(r.getRowObjectsJson()).slice(0,200)); }
    catch (e) { console.log(f, 'ERR', e.message); }
  }
}
