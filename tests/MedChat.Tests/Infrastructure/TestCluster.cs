using MedChat.Api.Data;
using Npgsql;

[assembly: AssemblyFixture(typeof(MedChat.Tests.Infrastructure.TestCluster))]

namespace MedChat.Tests.Infrastructure;

/// <summary>
/// One throwaway PostgreSQL cluster for the whole run (never the ./run data folder). Migrations run
/// once into a template database; each test class gets its own copy of it, so classes can run in
/// parallel while tests inside a class reset their copy.
/// </summary>
public sealed class TestCluster : IAsyncLifetime
{
    private const string Prefix = "medchat-tests-";
    private const string Template = "medchat_template";
    private static readonly SemaphoreSlim CreateLock = new(1, 1);
    private static int _databases;
    private LocalPostgres? _pg;

    public static TestCluster Instance { get; private set; } = null!;

    public LocalPostgres Postgres => _pg!;

    public async ValueTask InitializeAsync()
    {
        var (root, _) = await LocalPostgres.ClaimTempRootAsync(Prefix, Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture));
        _pg = await LocalPostgres.StartAsync(root, durable: false);
        await DatabaseSetup.EnsureDatabaseAsync(_pg.ConnectionString("postgres"), Template);
        await DatabaseSetup.MigrateAsync(_pg.ConnectionString(Template));
        NpgsqlConnection.ClearAllPools();
        Instance = this;
    }

    /// <summary>A fresh, migrated database; returns its owner connection string.</summary>
    public async Task<string> CreateDatabaseAsync()
    {
        var name = $"t{Interlocked.Increment(ref _databases)}";
        await CreateLock.WaitAsync();
        try
        {
            await using var conn = new NpgsqlConnection(_pg!.ConnectionString("postgres"));
            await conn.OpenAsync();
            await using var cmd = new NpgsqlCommand($"CREATE DATABASE {name} TEMPLATE {Template}", conn);
            await cmd.ExecuteNonQueryAsync();
        }
        finally
        {
            CreateLock.Release();
        }
        return _pg.ConnectionString(name);
    }

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        if (_pg is not null) await LocalPostgres.SweepAsync(_pg.Root);
    }
}
