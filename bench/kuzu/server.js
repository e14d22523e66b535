// Kùzu peer for the ThreatGraph benchmark: one embedded database, a small pool of connections, JSON over loopback HTTP.
// Usage: node server.js <dbDir> <port>. POST /load {nodes, edges} (CSV paths), POST /q {op, ...}, GET /health.
'use strict';
const http = require('http');
const fs = require('fs');
const kuzu = require('kuzu');

const [dbDir, portText] = process.argv.slice(2);
const port = Number(portText || 5190);
fs.rmSync(dbDir, { recursive: true, force: true });
const db = new kuzu.Database(dbDir);
const POOL = 4;
const conns = Array.from({ length: POOL }, () => new kuzu.Connection(db));
const idle = [...conns];
const waiting = [];
const prepared = new Map(); // conn -> Map(query -> PreparedStatement)

async function withConn(fn) {
  const conn = idle.pop() || await new Promise((resolve) => waiting.push(resolve));
  try { return await fn(conn); } finally {
    const next = waiting.shift();
    if (next) next(conn); else idle.push(conn);
  }
}

async function run(conn, query, params) {
  let cache = prepared.get(conn);
  if (!cache) { cache = new Map(); prepared.set(conn, cache); }
  let ps = cache.get(query);
  if (!ps) {
    ps = await conn.prepare(query);
    if (!ps.isSuccess()) throw new Error(ps.getErrorMessage());
    cache.set(query, ps);
  }
  const result = await conn.execute(ps, params || {});
  const rows = await result.getAll();
  result.close();
  return rows;
}

const Q = {
  lookup: 'MATCH (n:N {id: $id}) RETURN n.type AS type',
  twohop: 'MATCH (a:N {id: $id})-[:E*1..2]-(b:N) WHERE b.id <> $id RETURN DISTINCT b.id AS id LIMIT $limit',
  path: 'MATCH (a:N {id: $a})-[e:E* SHORTEST 1..6 (r, n | WHERE r.p)]-(b:N {id: $b}) RETURN length(e) AS hops LIMIT 1',
  linked: "MATCH (a:N {id: $id})-[e:E* SHORTEST 1..30 (r, n | WHERE r.l)]-(b:N) WHERE b.type = 'campaign' RETURN DISTINCT b.id AS id",
  addNode: 'CREATE (:N {id: $id, type: $type, name: $name})',
  addEdge: 'MATCH (x:N {id: $from}), (y:N {id: $to}) CREATE (x)-[:E {eid: $eid, kind: $kind, p: $p, l: $l}]->(y)',
};

async function load({ nodes, edges }) {
  return withConn(async (conn) => {
    const exec = async (q) => { const r = await conn.query(q); const rows = await r.getAll(); r.close(); return rows; };
    await exec('CREATE NODE TABLE N(id STRING, type STRING, name STRING, PRIMARY KEY(id))');
    await exec('CREATE REL TABLE E(FROM N TO N, eid STRING, kind STRING, p BOOLEAN, l BOOLEAN)');
    await exec(`COPY N FROM '${nodes}' (HEADER=true)`);
    await exec(`COPY E FROM '${edges}' (HEADER=true)`);
    const n = await exec('MATCH (n:N) RETURN count(*) AS c');
    const e = await exec('MATCH ()-[r:E]->() RETURN count(*) AS c');
    return { rows: Number(n[0].c) + Number(e[0].c) };
  });
}

async function query(body) {
  switch (body.op) {
    case 'lookup': {
      const rows = await withConn((c) => run(c, Q.lookup, { id: body.id }));
      return { type: rows.length ? rows[0].type : null };
    }
    case 'twohop': {
      const rows = await withConn((c) => run(c, Q.twohop, { id: body.id, limit: body.limit }));
      return { count: rows.length };
    }
    case 'path': {
      if (body.a === body.b) return { hops: 0 };
      const rows = await withConn((c) => run(c, Q.path, { a: body.a, b: body.b }));
      return { hops: rows.length ? Number(rows[0].hops) : null };
    }
    case 'linked': {
      const rows = await withConn((c) => run(c, Q.linked, { id: body.id }));
      const ids = rows.map((r) => r.id);
      if (!ids.includes(body.id)) ids.push(body.id);
      return { ids };
    }
    case 'ingest': {
      // Kùzu has one writer at a time; one connection for writes keeps them from failing on conflicts.
      await withConn(async (c) => {
        for (const n of body.nodes) await run(c, Q.addNode, n);
        for (const e of body.edges) await run(c, Q.addEdge, e);
      });
      return { ok: true };
    }
    default: throw new Error(`unknown op ${body.op}`);
  }
}

const server = http.createServer((req, res) => {
  if (req.method === 'GET' && req.url === '/health') { res.end('{"ok":true}'); return; }
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', async () => {
    try {
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      const out = req.url === '/load' ? await load(body) : await query(body);
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(out));
    } catch (e) {
      res.writeHead(500, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: String(e && e.message || e) }));
    }
  });
});
server.keepAliveTimeout = 60000;
server.listen(port, '127.0.0.1', () => console.log(`kuzu peer listening on 127.0.0.1:${port}, db ${dbDir}`));
