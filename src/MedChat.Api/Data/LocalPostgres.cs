using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;

namespace MedChat.Api.Data;

/// <summary>
/// A PostgreSQL cluster on this machine, reached only through a unix socket in a private folder:
/// the embedded default of <c>./run</c>, and the throwaway cluster of the test suite.
/// As root the server runs as the <c>postgres</c> user (initdb refuses root).
/// </summary>
public sealed class LocalPostgres : IAsyncDisposable
{
    private const string Superuser = "postgres";
    private readonly string _bin;
    private readonly bool _asPostgresUser;
    private bool _stopped;

    public string Root { get; }
    public string DataDir => Path.Combine(Root, "pg");
    public string SocketDir => Path.Combine(Root, "sock");

    private LocalPostgres(string root, string bin, bool asPostgresUser)
    {
        Root = root;
        _bin = bin;
        _asPostgresUser = asPostgresUser;
    }

    public string ConnectionString(string database) =>
        $"Host={SocketDir};Username={Superuser};Database={database};Pooling=true;Maximum Pool Size=100";

    /// <summary>
    /// Creates the cluster under <paramref name="wantedRoot"/> when missing and starts it.
    /// When the postgres user cannot reach that folder (a clone under /root), the cluster goes to
    /// /var/lib/medchat/&lt;hash&gt; instead and a note in the wanted folder says where.
    /// </summary>
    public static async Task<LocalPostgres> StartAsync(string wantedRoot, bool durable, CancellationToken ct = default)
    {
        var bin = FindBinDir();
        var asPostgres = Environment.UserName == "root";
        wantedRoot = Path.GetFullPath(wantedRoot);
        Directory.CreateDirectory(wantedRoot);
        var root = wantedRoot;
        if (asPostgres && !await ReachableByPostgresAsync(root, ct))
        {
            var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(wantedRoot)))[..16];
            root = Path.Combine("/var/lib/medchat", hash);
            Directory.CreateDirectory(root);
            await File.WriteAllTextAsync(Path.Combine(wantedRoot, "cluster-location"),
                $"The postgres user cannot traverse {wantedRoot}; the cluster lives in {root}\n", ct);
        }
        // A unix socket path must stay under 108 bytes.
        if (Path.Combine(root, "sock", ".s.PGSQL.5432").Length > 100)
            throw new InvalidOperationException($"The data folder path is too long for a PostgreSQL socket: {root}");

        var pg = new LocalPostgres(root, bin, asPostgres);
        await pg.InitAndStartAsync(durable, ct);
        return pg;
    }

    private async Task InitAndStartAsync(bool durable, CancellationToken ct)
    {
        Directory.CreateDirectory(SocketDir);
        if (_asPostgresUser) await RunAsync("chown", ["postgres:postgres", Root, SocketDir], ct);
        if (!File.Exists(Path.Combine(DataDir, "PG_VERSION")))
        {
            List<string> init = ["-D", DataDir, "-U", Superuser, "-A", "trust", "-E", "UTF8", "--locale=C.UTF-8"];
            if (!durable) init.Add("--no-sync");
            await RunPgAsync("initdb", init, ct);
        }
        var options = $"-k {SocketDir} -c listen_addresses='' -c max_connections=300";
        if (!durable) options += " -c fsync=off -c synchronous_commit=off -c full_page_writes=off";
        if (await IsRunningAsync(ct)) return;
        await RunPgAsync("pg_ctl", ["-D", DataDir, "-w", "-t", "60", "-l", Path.Combine(Root, "postgres.log"), "-o", options, "start"], ct);
    }

    public async Task<bool> IsRunningAsync(CancellationToken ct = default) =>
        File.Exists(Path.Combine(DataDir, "postmaster.pid")) &&
        (await RunPgAsync("pg_ctl", ["-D", DataDir, "status"], ct, throwOnError: false)) == 0;

    public async Task StopAsync(bool immediate = false)
    {
        if (_stopped) return;
        _stopped = true;
        if (await IsRunningAsync())
            await RunPgAsync("pg_ctl", ["-D", DataDir, "-w", "-m", immediate ? "immediate" : "fast", "stop"], CancellationToken.None, throwOnError: false);
    }

    public async ValueTask DisposeAsync() => await StopAsync();

    /// <summary>Stops and deletes a cluster folder left by a process that died without cleaning up.</summary>
    public static async Task SweepAsync(string root)
    {
        var pg = new LocalPostgres(root, FindBinDir(), Environment.UserName == "root");
        await pg.StopAsync(immediate: true);
        Directory.Delete(root, recursive: true);
    }

    /// <summary>
    /// A fresh folder for a throwaway cluster under the temp folder, stamped with this process's id,
    /// after stopping and deleting clusters under the same prefix whose owning process died (a killed
    /// test or bench run). Returns the folder and any abandoned folders that could not be removed.
    /// </summary>
    public static async Task<(string Root, IReadOnlyList<string> NotSwept)> ClaimTempRootAsync(string prefix, string name)
    {
        var notSwept = new List<string>();
        foreach (var dir in Directory.GetDirectories(Path.GetTempPath(), prefix + "*"))
        {
            var pidFile = Path.Combine(dir, OwnerFile);
            if (File.Exists(pidFile) && int.TryParse(await File.ReadAllTextAsync(pidFile), out var pid) && IsAlive(pid) && pid != Environment.ProcessId) continue;
            try
            {
                await SweepAsync(dir);
            }
            catch (Exception e) when (e is IOException or InvalidOperationException or UnauthorizedAccessException)
            {
                notSwept.Add(dir);
            }
        }
        var root = Path.Combine(Path.GetTempPath(), prefix + name);
        Directory.CreateDirectory(root);
        await File.WriteAllTextAsync(Path.Combine(root, OwnerFile), Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture));
        return (root, notSwept);
    }

    private const string OwnerFile = "owner.pid";

    private static bool IsAlive(int pid)
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

    private static async Task<bool> ReachableByPostgresAsync(string dir, CancellationToken ct) =>
        await RunAsync("runuser", ["-u", "postgres", "--", "test", "-x", dir], ct, throwOnError: false) == 0;

    private static string FindBinDir()
    {
        const string debian = "/usr/lib/postgresql";
        if (Directory.Exists(debian))
        {
            var newest = Directory.GetDirectories(debian)
                .Where(d => File.Exists(Path.Combine(d, "bin", "initdb")))
                .OrderByDescending(d => int.TryParse(Path.GetFileName(d), out var v) ? v : 0)
                .FirstOrDefault();
            if (newest is not null) return Path.Combine(newest, "bin");
        }
        var onPath = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':')
            .FirstOrDefault(d => File.Exists(Path.Combine(d, "initdb")));
        return onPath ?? throw new InvalidOperationException(
            "PostgreSQL server binaries (initdb, pg_ctl) were not found. Install them (Debian: apt-get install -y postgresql) " +
            "or set ConnectionStrings__Postgres to an existing database.");
    }

    private Task<int> RunPgAsync(string tool, IEnumerable<string> args, CancellationToken ct, bool throwOnError = true)
    {
        var exe = Path.Combine(_bin, tool);
        return _asPostgresUser
            ? RunAsync("runuser", ["-u", "postgres", "--", exe, .. args], ct, throwOnError)
            : RunAsync(exe, args, ct, throwOnError);
    }

    private static async Task<int> RunAsync(string exe, IEnumerable<string> args, CancellationToken ct, bool throwOnError = true)
    {
        var psi = new ProcessStartInfo(exe)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = "/",
        };
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi) ?? throw new InvalidOperationException($"Could not start {exe}");
        var stdout = p.StandardOutput.ReadToEndAsync(ct);
        var stderr = p.StandardError.ReadToEndAsync(ct);
        await p.WaitForExitAsync(ct);
        if (throwOnError && p.ExitCode != 0)
            throw new InvalidOperationException($"{Path.GetFileName(exe)} {string.Join(' ', psi.ArgumentList)} failed ({p.ExitCode}): {await stderr}{await stdout}");
        return p.ExitCode;
    }
}
