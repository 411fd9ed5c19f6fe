using System.Diagnostics;
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
        await SweepOrphansAsync();
        var root = Path.Combine(Path.GetTempPath(), Prefix + Environment.ProcessId);
        if (Directory.Exists(root)) await LocalPostgres.SweepAsync(root);
        Directory.CreateDirectory(root);
        await File.WriteAllTextAsync(Path.Combine(root, "owner.pid"), Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture));
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

    /// <summary>Clusters whose test run was killed: their owner process is gone, so stop and delete them.</summary>
    private static async Task SweepOrphansAsync()
    {
        foreach (var dir in Directory.GetDirectories(Path.GetTempPath(), Prefix + "*"))
        {
            var pidFile = Path.Combine(dir, "owner.pid");
            if (File.Exists(pidFile) && int.TryParse(await File.ReadAllTextAsync(pidFile), out var pid) && Alive(pid)) continue;
            try
            {
                await LocalPostgres.SweepAsync(dir);
            }
            catch (IOException)
            {
            }
        }
    }

    private static bool Alive(int pid)
    {
        try
        {
            using var p = Process.GetProcessById(pid);
            return !p.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }
}
