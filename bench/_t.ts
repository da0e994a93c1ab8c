import { SqliteSessionStore, compileSqliteFilter } from '@sg/store';
import { parseSessionFilter } from '@sg/session';
const store = new SqliteSessionStore({ path: 'tmp/bench/sessions-1000000.db' });
for (const w of ['created_at 1795691500 TO 1795777900', 'created_at 1795495707 TO 1795582107', 'created_at 1795600000 TO 1795686400']) {
  const p = parseSessionFilter(w); if (!p.ok) throw new Error();
  const c = compileSqliteFilter(p.ast);
  const sql = `SELECT "connection_state", "failure_reason", count(*) AS n FROM sessions WHERE ${c.sql} GROUP BY 1, 2`;
  const t = performance.now(); store.db.prepare(sql).raw().all(...c.params); const ms = performance.now() - t;
  console.log(w, ms.toFixed(1), store.db.prepare('EXPLAIN QUERY PLAN ' + sql).all(...c.params).map((r: any) => r.detail).join(' | '));
}
