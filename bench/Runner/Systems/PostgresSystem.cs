using System.Diagnostics;
using Npgsql;
using ThreatGraph.Bench.Generator;

namespace ThreatGraph.Bench.Runner.Systems;

/// <summary>
/// PostgreSQL as most teams would build it: nodes(id, type, name), edges(id, kind, source, target) and an
/// undirected adjacency table adj(src, dst, kind, path, link) indexed on src. 2-hop and linked campaigns are
/// recursive CTEs (UNION, so the working set is a visited set); shortest path is a PL/pgSQL bidirectional
/// breadth-first search over adj (a path-enumerating recursive CTE explodes at the supernodes).
/// </summary>
public sealed class PostgresSystem(string connectionString) : IGraphSystem, IAsyncDisposable
{
    readonly NpgsqlDataSource _db = NpgsqlDataSource.Create(connectionString);

    public string Name => "PostgreSQL 15";
    public bool IsThreatGraph => false;
    public string? Unsupported(Capability capability) => capability == Capability.Subscription ? "n/a (no push subscriptions; LISTEN/NOTIFY is not wired in this peer)" : null;

    public async Task<(double Seconds, long Rows)> LoadAsync(string folder)
    {
        var clock = Stopwatch.StartNew();
        await using var conn = await _db.OpenConnectionAsync();
        await Exec(conn, """
            DROP TABLE IF EXISTS adj, edges, nodes CASCADE;
            CREATE TABLE nodes(id text PRIMARY KEY, type text NOT NULL, name text);
            CREATE TABLE edges(id text NOT NULL, kind text NOT NULL, source text NOT NULL, target text NOT NULL);
            """);
        long rows = 0;
        foreach (var (table, file) in new[] { ("nodes", "nodes.csv"), ("edges", "edges.csv") })
        {
            await using (var writer = await conn.BeginTextImportAsync($"COPY {table} FROM STDIN (FORMAT csv, HEADER true)"))
            {
                using var reader = new StreamReader(Path.Combine(folder, file));
                var buffer = new char[1 << 16];
                int n;
                while ((n = await reader.ReadAsync(buffer)) > 0) await writer.WriteAsync(buffer.AsMemory(0, n));
            }
            rows += (long)(await Scalar(conn, $"SELECT count(*) FROM {table}"))!;
        }
        var pathKinds = string.Join(",", EdgeKinds.Path.Select(k => $"'{k}'"));
        var linkKinds = string.Join(",", EdgeKinds.Link.Select(k => $"'{k}'"));
        var linkTypes = string.Join(",", EdgeKinds.LinkNodeTypes.Select(k => $"'{k}'"));
        await Exec(conn, $"""
            CREATE INDEX edges_source ON edges(source);
            CREATE INDEX edges_target ON edges(target);
            CREATE TABLE adj AS
              SELECT e.source AS src, e.target AS dst, e.kind, e.kind IN ({pathKinds}) AS path,
                     (e.kind IN ({linkKinds}) AND s.type IN ({linkTypes}) AND t.type IN ({linkTypes})) AS link
              FROM edges e JOIN nodes s ON s.id = e.source JOIN nodes t ON t.id = e.target
              UNION ALL
              SELECT e.target, e.source, e.kind, e.kind IN ({pathKinds}),
                     (e.kind IN ({linkKinds}) AND s.type IN ({linkTypes}) AND t.type IN ({linkTypes}))
              FROM edges e JOIN nodes s ON s.id = e.source JOIN nodes t ON t.id = e.target;
            CREATE INDEX adj_src ON adj(src) INCLUDE (dst, path, link);
            ANALYZE nodes; ANALYZE edges; ANALYZE adj;
            CREATE OR REPLACE FUNCTION tg_shortest(a text, b text, maxd int) RETURNS int LANGUAGE plpgsql STABLE AS $fn$
            DECLARE fa text[] := ARRAY[a]; fb text[] := ARRAY[b]; va text[] := ARRAY[a]; vb text[] := ARRAY[b];
                    d int := 0; nf text[]; hit boolean;
            BEGIN
              IF a = b THEN RETURN 0; END IF;
              WHILE d < maxd LOOP
                IF cardinality(fa) <= cardinality(fb) THEN
                  SELECT array_agg(DISTINCT x.dst) INTO nf FROM adj x
                   WHERE x.src = ANY(fa) AND x.path AND NOT EXISTS (SELECT 1 FROM unnest(va) v(n) WHERE v.n = x.dst);
                  IF nf IS NULL THEN RETURN NULL; END IF;
                  d := d + 1;
                  SELECT EXISTS (SELECT 1 FROM unnest(nf) p(n) JOIN unnest(vb) q(n) ON p.n = q.n) INTO hit;
                  IF hit THEN RETURN d; END IF;
                  fa := nf; va := va || nf;
                ELSE
                  SELECT array_agg(DISTINCT x.dst) INTO nf FROM adj x
                   WHERE x.src = ANY(fb) AND x.path AND NOT EXISTS (SELECT 1 FROM unnest(vb) v(n) WHERE v.n = x.dst);
                  IF nf IS NULL THEN RETURN NULL; END IF;
                  d := d + 1;
                  SELECT EXISTS (SELECT 1 FROM unnest(nf) p(n) JOIN unnest(va) q(n) ON p.n = q.n) INTO hit;
                  IF hit THEN RETURN d; END IF;
                  fb := nf; vb := vb || nf;
                END IF;
              END LOOP;
              RETURN NULL;
            END $fn$;
            """);
        return (clock.Elapsed.TotalSeconds, rows);
    }

    public async Task<string?> LookupAsync(string id, CancellationToken ct)
    {
        await using var cmd = _db.CreateCommand("SELECT type FROM nodes WHERE id = $1");
        cmd.Parameters.AddWithValue(id);
        return (string?)await cmd.ExecuteScalarAsync(ct);
    }

    public async Task<int> TwoHopAsync(string id, CancellationToken ct)
    {
        await using var cmd = _db.CreateCommand("""
            WITH RECURSIVE r(n, d) AS (SELECT $1::text, 0 UNION SELECT a.dst, r.d + 1 FROM r JOIN adj a ON a.src = r.n WHERE r.d < 2)
            SELECT DISTINCT n FROM r WHERE n <> $1 LIMIT $2
            """);
        cmd.Parameters.AddWithValue(id);
        cmd.Parameters.AddWithValue(Limits.NeighbourhoodNodes);
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        var count = 0;
        while (await reader.ReadAsync(ct)) count++;
        return count;
    }

    public async Task<int?> ShortestPathAsync(string a, string b, CancellationToken ct)
    {
        await using var cmd = _db.CreateCommand("SELECT tg_shortest($1, $2, $3)");
        cmd.Parameters.AddWithValue(a);
        cmd.Parameters.AddWithValue(b);
        cmd.Parameters.AddWithValue(Limits.MaxPathHops);
        return await cmd.ExecuteScalarAsync(ct) is int d ? d : null;
    }

    public async Task<IReadOnlyCollection<string>> LinkedCampaignsAsync(string campaignId, CancellationToken ct)
    {
        await using var cmd = _db.CreateCommand("""
            WITH RECURSIVE r(n) AS (SELECT $1::text UNION SELECT a.dst FROM r JOIN adj a ON a.src = r.n AND a.link)
            SELECT r.n FROM r JOIN nodes x ON x.id = r.n WHERE x.type = 'campaign'
            """);
        cmd.Parameters.AddWithValue(campaignId);
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        var result = new List<string>();
        while (await reader.ReadAsync(ct)) result.Add(reader.GetString(0));
        return result;
    }

    public Task<IAsyncDisposable> SubscribeCampaignsAsync(IReadOnlyList<string> campaignIds, int perCampaign, CampaignWatch watch, CancellationToken ct) =>
        throw new NotSupportedException(Unsupported(Capability.Subscription));

    public async Task IngestUnitAsync(DeltaUnit unit, CancellationToken ct)
    {
        await using var conn = await _db.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        var batch = new NpgsqlBatch(conn, tx);
        foreach (var n in unit.Nodes)
        {
            batch.BatchCommands.Add(Command("INSERT INTO nodes VALUES ($1, $2, $3)", n.Id, n.Type, n.Name));
        }
        foreach (var e in unit.Edges)
        {
            var path = EdgeKinds.Path.Contains(e.Kind);
            batch.BatchCommands.Add(Command("INSERT INTO edges VALUES ($1, $2, $3, $4)", e.Id, e.Kind, e.Source, e.Target));
            batch.BatchCommands.Add(Command("""
                INSERT INTO adj SELECT $1, $2, $3, $4, ($3 IN ('indicates','pattern-names') AND s.type = ANY($5) AND t.type = ANY($5))
                FROM nodes s, nodes t WHERE s.id = $1 AND t.id = $2
                """, e.Source, e.Target, e.Kind, path, EdgeKinds.LinkNodeTypes.ToArray()));
            batch.BatchCommands.Add(Command("""
                INSERT INTO adj SELECT $2, $1, $3, $4, ($3 IN ('indicates','pattern-names') AND s.type = ANY($5) AND t.type = ANY($5))
                FROM nodes s, nodes t WHERE s.id = $1 AND t.id = $2
                """, e.Source, e.Target, e.Kind, path, EdgeKinds.LinkNodeTypes.ToArray()));
        }
        await batch.ExecuteNonQueryAsync(ct);
        await tx.CommitAsync(ct);
    }

    static NpgsqlBatchCommand Command(string sql, params object[] values)
    {
        var c = new NpgsqlBatchCommand(sql);
        foreach (var v in values) c.Parameters.Add(new NpgsqlParameter { Value = v });
        return c;
    }

    static async Task Exec(NpgsqlConnection conn, string sql)
    {
        await using var cmd = new NpgsqlCommand(sql, conn) { CommandTimeout = 0 };
        await cmd.ExecuteNonQueryAsync();
    }

    static async Task<object?> Scalar(NpgsqlConnection conn, string sql)
    {
        await using var cmd = new NpgsqlCommand(sql, conn) { CommandTimeout = 0 };
        return await cmd.ExecuteScalarAsync();
    }

    public ValueTask DisposeAsync() => _db.DisposeAsync();
}
