using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace MedChat.Api.Data;

public sealed class DatabaseOptions
{
    /// <summary>The restricted role the API runs as: not the owner, not superuser, no BYPASSRLS.</summary>
    public const string RuntimeRole = "medchat_app";

    /// <summary>Password for the runtime role on an external database; set on the role at start-up when given.</summary>
    public string? AppPassword { get; set; }
    /// <summary>Apply migrations at start-up (the owner connection is used for that alone).</summary>
    public bool Migrate { get; set; } = true;

    /// <summary>
    /// Most runtime-role connections this node opens (Npgsql's own default is 100). Npgsql hands out
    /// idle connections in turn, so after a burst every request lands on a backend that has not yet
    /// planned its statements (round 5 in docs/benchmarks.md: with 100, the assistant's overhead after
    /// the send benchmarks doubled). With 20, 10,000 hub connections opening at once queued on the pool
    /// and the server's memory per idle connection doubled; 40 kept both. The send writers keep
    /// Messages:SendWriters of them.
    /// </summary>
    public int PoolSize { get; set; } = 40;
}

/// <summary>
/// Where the database is and who connects to it. Two connection strings: the owner's, used only to
/// migrate (and seed the embedded demo), and the runtime role's, used for every request so that
/// row-level security binds.
/// </summary>
public sealed record DatabaseConnections(string Owner, string Runtime, LocalPostgres? Embedded)
{
    public static string RuntimeFor(string owner, string? password, int poolSize)
    {
        var b = new NpgsqlConnectionStringBuilder(owner) { Username = DatabaseOptions.RuntimeRole, Password = password, MaxPoolSize = poolSize };
        // Every statement passes row-level security, triggers and FK checks; planning them anew on each
        // request cost about as much as running them (docs/benchmarks.md). Prepared after 5 uses instead.
        if (b.MaxAutoPrepare == 0) b.MaxAutoPrepare = 64;
        return b.ConnectionString;
    }
}

public static class DatabaseSetup
{
    private const string EmbeddedDatabase = "medchat";

    /// <summary>
    /// Starts the embedded cluster when no database is configured, migrates as the owner, and registers
    /// the runtime data source. Runs before the host is built so a broken database fails start-up clearly.
    /// </summary>
    public static async Task<DatabaseConnections> AddMedChatDatabaseAsync(this WebApplicationBuilder builder, string dataDir)
    {
        var options = builder.Configuration.GetSection("Database").Get<DatabaseOptions>() ?? new DatabaseOptions();
        var writers = Messages.SendBatcher.Writers(builder.Configuration);
        if (options.PoolSize < writers + 4)
            throw new InvalidOperationException($"Database:PoolSize ({options.PoolSize}) must leave at least 4 connections beside the {writers} send writers (Messages:SendWriters).");
        var owner = builder.Configuration.GetConnectionString("Postgres");
        LocalPostgres? embedded = null;
        if (string.IsNullOrWhiteSpace(owner))
        {
            embedded = await LocalPostgres.StartAsync(dataDir, durable: true);
            owner = embedded.ConnectionString(EmbeddedDatabase);
            await EnsureDatabaseAsync(embedded.ConnectionString("postgres"), EmbeddedDatabase);
        }
        var connections = new DatabaseConnections(owner, DatabaseConnections.RuntimeFor(owner, options.AppPassword, options.PoolSize), embedded);
        if (options.Migrate) await MigrateAsync(owner, options.AppPassword);

        builder.Services.AddSingleton(connections);
        if (embedded is not null) builder.Services.AddHostedService(sp => new EmbeddedClusterLifetime(embedded));
        builder.Services.AddSingleton(_ => NpgsqlDataSource.Create(connections.Runtime));
        builder.Services.AddDbContext<MedChatDb>((sp, o) => o.UseNpgsql(sp.GetRequiredService<NpgsqlDataSource>()));
        return connections;
    }

    /// <summary>Applies pending migrations (which also create the runtime role and the RLS policies).</summary>
    public static async Task MigrateAsync(string owner, string? appPassword = null)
    {
        var options = new DbContextOptionsBuilder<MedChatDb>().UseNpgsql(owner).Options;
        await using var db = new MedChatDb(options);
        await db.Database.MigrateAsync();
        // A database restored into a cluster without the runtime role (or with --no-acl) has every
        // migration applied and still no role or grants; create them again, idempotently, every start.
        await db.Database.ExecuteSqlRawAsync(RuntimeGrants);
        if (appPassword is not null)
        {
            // A role password cannot be a bind parameter; quote it as a literal.
            var literal = "'" + appPassword.Replace("'", "''", StringComparison.Ordinal) + "'";
#pragma warning disable EF1002 // the value is quoted above; role DDL takes no parameters
            await db.Database.ExecuteSqlRawAsync($"ALTER ROLE {DatabaseOptions.RuntimeRole} LOGIN PASSWORD {literal}");
#pragma warning restore EF1002
        }
    }

    /// <summary>
    /// The runtime role and what it may do, as the migrations left them: it may read and write the
    /// tables below (messages and the audit log append-only) and run the API's SQL functions.
    /// </summary>
    public const string RuntimeGrants = """
        DO $$ BEGIN
          IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'medchat_app') THEN
            CREATE ROLE medchat_app LOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE NOINHERIT;
          END IF;
        END $$;
        GRANT USAGE ON SCHEMA public TO medchat_app;
        GRANT SELECT, INSERT, UPDATE ON users, conversations, receipts, ai_usage TO medchat_app;
        GRANT SELECT, INSERT ON messages, audit_log TO medchat_app;
        GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA public TO medchat_app;
        """;

    public static async Task EnsureDatabaseAsync(string maintenance, string name)
    {
        await using var conn = new NpgsqlConnection(maintenance);
        await conn.OpenAsync();
        await using var exists = new NpgsqlCommand("SELECT 1 FROM pg_database WHERE datname = $1", conn) { Parameters = { new() { Value = name } } };
        if (await exists.ExecuteScalarAsync() is null)
        {
            await using var create = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", conn);
            await create.ExecuteNonQueryAsync();
        }
    }

    /// <summary>Stops the embedded cluster when the host stops (Ctrl-C, SIGTERM).</summary>
    private sealed class EmbeddedClusterLifetime(LocalPostgres cluster) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;
        public Task StopAsync(CancellationToken cancellationToken) => cluster.StopAsync();
    }
}
