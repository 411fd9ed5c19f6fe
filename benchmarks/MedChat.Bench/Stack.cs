using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using MedChat.Api.Data;
using MedChat.Api.Identity;
using Microsoft.IdentityModel.Tokens;
using Npgsql;

namespace MedChat.Bench;

/// <summary>
/// Everything the bench measures, started by the bench: a durable PostgreSQL cluster in a temp
/// folder, the API as a separate process on a loopback port, a fake model server, and Redis when
/// asked. Disposing stops all of it.
/// </summary>
internal sealed class Stack : IAsyncDisposable
{
    private const string Database = "medchat";
    private const string RootPrefix = "medchat-bench-";

    private readonly string _root;
    private readonly LocalPostgres _pg;
    private readonly ChildProcess? _redis;
    private readonly FakeModel _model;
    private readonly string _signingKey;

    public string OwnerConnection { get; }
    public string? RedisConfiguration { get; }
    public Guid AdminId { get; } = Guid.CreateVersion7();
    public Tokens Tokens { get; }
    public FakeModel Model => _model;
    public ApiProcess Api { get; private set; } = null!;
    /// <summary>A second API node on the same PostgreSQL and Redis (the two-node fan-out), once started.</summary>
    public ApiProcess? Api2 { get; private set; }
    public Uri BaseAddress => Api.BaseAddress;
    public string SigningKey => _signingKey;

    private Stack(string root, LocalPostgres pg, ChildProcess? redis, string? redisConfiguration, FakeModel model, string signingKey)
    {
        _root = root;
        _pg = pg;
        _redis = redis;
        RedisConfiguration = redisConfiguration;
        _model = model;
        _signingKey = signingKey;
        var b = new NpgsqlConnectionStringBuilder(pg.ConnectionString(Database)) { MaxPoolSize = 200 };
        OwnerConnection = b.ConnectionString;
        Tokens = new Tokens(signingKey);
    }

    public static async Task<Stack> StartAsync(BenchPlan plan, CancellationToken ct)
    {
        var (root, notSwept) = await LocalPostgres.ClaimTempRootAsync(RootPrefix, Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4)));
        foreach (var dir in notSwept) Progress.Note($"Could not sweep {dir}");

        Progress.Step("Starting PostgreSQL (durable: fsync and synchronous_commit on, as ./run)");
        var pg = await LocalPostgres.StartAsync(root, durable: true, ct);
        await DatabaseSetup.EnsureDatabaseAsync(pg.ConnectionString("postgres"), Database);

        ChildProcess? redis = null;
        string? redisConfiguration = null;
        if (plan.Redis)
        {
            var port = FreePort();
            Progress.Step($"Starting redis-server on 127.0.0.1:{port}");
            redis = ChildProcess.Start("redis-server", ["--port", port.ToString(), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"], new Dictionary<string, string?>());
            redisConfiguration = $"127.0.0.1:{port}";
            await WaitForPortAsync(port, redis, TimeSpan.FromSeconds(10), ct);
        }

        var model = await FakeModel.StartAsync();
        var key = Convert.ToBase64String(RandomNumberGenerator.GetBytes(48));
        var stack = new Stack(root, pg, redis, redisConfiguration, model, key);
        await stack.StartApiAsync(ct);
        return stack;
    }

    /// <summary>A fresh API process on the same database (capacity is measured from a clean heap).</summary>
    public async Task RestartApiAsync(CancellationToken ct)
    {
        await Api.DisposeAsync();
        await StartApiAsync(ct);
    }

    /// <summary>Starts a second node sharing the database and Redis; clients of one node hear the other's sends through the backplane.</summary>
    public async Task<Uri> StartSecondNodeAsync(CancellationToken ct)
    {
        if (RedisConfiguration is null) throw new InvalidOperationException("A second node needs Redis (./bench --redis).");
        Api2 ??= await LaunchApiAsync(ct);
        return Api2.BaseAddress;
    }

    public async Task StopSecondNodeAsync()
    {
        if (Api2 is null) return;
        await Api2.DisposeAsync();
        Api2 = null;
    }

    private async Task StartApiAsync(CancellationToken ct) => Api = await LaunchApiAsync(ct);

    private async Task<ApiProcess> LaunchApiAsync(CancellationToken ct)
    {
        var dll = ApiDll();
        var port = FreePort();
        var env = new Dictionary<string, string?>
        {
            ["ConnectionStrings__Postgres"] = new NpgsqlConnectionStringBuilder(OwnerConnection) { MaxPoolSize = 100 }.ConnectionString,
            ["Auth__SigningKey"] = _signingKey,
            ["Auth__BootstrapAdmins__0"] = AdminId.ToString(),
            ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}",
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["Logging__LogLevel__Default"] = "Warning",
            ["Logging__LogLevel__Microsoft.Hosting.Lifetime"] = "Warning",
            ["MEDCHAT_DATA_DIR"] = Path.Combine(_root, "api"),
            ["Ai__Provider"] = "openai",
            ["Ai__Endpoint"] = _model.BaseAddress.ToString().TrimEnd('/'),
            ["Ai__Model"] = "fake",
            ["Ai__ApiKey"] = "bench",
            ["Redis__Configuration"] = RedisConfiguration,
            // The benchmark measures throughput, not the per-user limits: lift them out of the way.
            ["Limits__SendsPerMinute"] = "1000000",
            ["Limits__RequestsPerMinute"] = "1000000",
        };
        Progress.Step($"Starting the API: dotnet {Path.GetRelativePath(Environment.CurrentDirectory, dll)} on 127.0.0.1:{port}");
        return await ApiProcess.StartAsync(dll, port, env, ct);
    }

    public NpgsqlDataSource OwnerDataSource(int maxPool) =>
        NpgsqlDataSource.Create(new NpgsqlConnectionStringBuilder(OwnerConnection) { MaxPoolSize = maxPool }.ConnectionString);

    public async Task<string> PostgresVersionAsync()
    {
        await using var ds = OwnerDataSource(2);
        await using var cmd = ds.CreateCommand("SHOW server_version");
        return (string)(await cmd.ExecuteScalarAsync())!;
    }

    public async ValueTask DisposeAsync()
    {
        if (Api2 is not null) await Api2.DisposeAsync();
        if (Api is not null) await Api.DisposeAsync();
        await _model.DisposeAsync();
        if (_redis is not null) await _redis.DisposeAsync();
        await _pg.StopAsync();
        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
            // A file the postgres user still holds; the next run's sweep removes it.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    /// <summary>The API build next to this bench build (Release under ./bench, Debug under the tests).</summary>
    public static string ApiDll()
    {
        if (Environment.GetEnvironmentVariable("MEDCHAT_BENCH_API_DLL") is { Length: > 0 } given) return Path.GetFullPath(given);
        var root = RepoRoot();
        var mine = AppContext.BaseDirectory.Contains("/Release/", StringComparison.Ordinal) ? "Release" : "Debug";
        foreach (var config in new[] { mine, mine == "Release" ? "Debug" : "Release" })
        {
            var dll = Path.Combine(root, "src", "MedChat.Api", "bin", config, "net10.0", "MedChat.Api.dll");
            if (File.Exists(dll)) return dll;
        }
        throw new InvalidOperationException($"MedChat.Api.dll is not built under {root}/src/MedChat.Api/bin; run ./bench (it builds Release).");
    }

    public static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "MedChat.slnx"))) return dir.FullName;
        throw new InvalidOperationException($"No MedChat.slnx above {AppContext.BaseDirectory}");
    }

    public static int FreePort()
    {
        using var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        return ((IPEndPoint)l.LocalEndpoint).Port;
    }

    private static async Task WaitForPortAsync(int port, ChildProcess process, TimeSpan timeout, CancellationToken ct)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (process.HasExited) throw new InvalidOperationException($"{process.Name} exited: {process.Output}");
            try
            {
                using var c = new TcpClient();
                await c.ConnectAsync(IPAddress.Loopback, port, ct);
                return;
            }
            catch (SocketException)
            {
                await Task.Delay(100, ct);
            }
        }
        throw new TimeoutException($"{process.Name} did not listen on {port} within {timeout.TotalSeconds} s");
    }

}

/// <summary>HS256 tokens the API accepts (issuer medchat, audience medchat-api, sub = the user's UUID).</summary>
internal sealed class Tokens(string signingKey)
{
    private readonly TokenIssuer _issuer = new(new AuthOptions(), new SymmetricSecurityKey(Encoding.UTF8.GetBytes(signingKey)));

    public string For(Guid user) => _issuer.Issue(user, null, TimeSpan.FromHours(2));
}

/// <summary>A child process whose output is kept (the last lines) for error messages.</summary>
internal class ChildProcess : IAsyncDisposable
{
    private const int KeepLines = 200;
    private readonly ConcurrentQueue<string> _lines = new();
    protected Process Process { get; }

    public string Name { get; }
    public int Pid => Process.Id;
    public bool HasExited => Process.HasExited;
    public string Output => string.Join('\n', _lines);
    public event Action<string>? Line;

    protected ChildProcess(Process process, string name)
    {
        Process = process;
        Name = name;
        process.OutputDataReceived += (_, e) => Keep(e.Data);
        process.ErrorDataReceived += (_, e) => Keep(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public static ChildProcess Start(string exe, IEnumerable<string> args, IReadOnlyDictionary<string, string?> env, bool stdin = false) =>
        new(Launch(exe, args, env, stdin), Path.GetFileName(exe));

    protected static Process Launch(string exe, IEnumerable<string> args, IReadOnlyDictionary<string, string?> env, bool stdin)
    {
        var psi = new ProcessStartInfo(exe)
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = stdin,
            WorkingDirectory = Environment.CurrentDirectory,
        };
        foreach (var a in args) psi.ArgumentList.Add(a);
        // Nothing from the caller's environment may point the child elsewhere.
        foreach (var k in psi.Environment.Keys.Where(k => k.StartsWith("ConnectionStrings__", StringComparison.Ordinal) ||
                     k.StartsWith("Auth__", StringComparison.Ordinal) || k.StartsWith("Redis__", StringComparison.Ordinal) ||
                     k.StartsWith("Ai__", StringComparison.Ordinal) || k.StartsWith("Database__", StringComparison.Ordinal)).ToList())
            psi.Environment.Remove(k);
        foreach (var (k, v) in env)
            if (v is null) psi.Environment.Remove(k);
            else psi.Environment[k] = v;
        return Process.Start(psi) ?? throw new InvalidOperationException($"Could not start {exe}");
    }

    private void Keep(string? line)
    {
        if (line is null) return;
        _lines.Enqueue(line);
        while (_lines.Count > KeepLines) _lines.TryDequeue(out _);
        Line?.Invoke(line);
    }

    public Task WriteLineAsync(string line) => Process.StandardInput.WriteLineAsync(line);

    public Task WaitForExitAsync(CancellationToken ct) => Process.WaitForExitAsync(ct);

    /// <summary>SIGTERM, then SIGKILL after a grace period.</summary>
    public async ValueTask DisposeAsync()
    {
        if (!Process.HasExited)
        {
            using (var term = Process.Start("kill", ["-TERM", Process.Id.ToString()])) await term.WaitForExitAsync();
            using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(15));
            try
            {
                await Process.WaitForExitAsync(grace.Token);
            }
            catch (OperationCanceledException)
            {
                Process.Kill(entireProcessTree: true);
                await Process.WaitForExitAsync();
            }
        }
        Process.Dispose();
        GC.SuppressFinalize(this);
    }
}

/// <summary>The API, run the way it is deployed: its own process, a real loopback port.</summary>
internal sealed class ApiProcess : ChildProcess
{
    public Uri BaseAddress { get; }

    private ApiProcess(Process p, Uri baseAddress) : base(p, "MedChat.Api") => BaseAddress = baseAddress;

    public static async Task<ApiProcess> StartAsync(string dll, int port, IReadOnlyDictionary<string, string?> env, CancellationToken ct)
    {
        var dir = Path.GetDirectoryName(dll)!;
        var api = new ApiProcess(Launch("dotnet", [dll, "--contentRoot", dir], env, stdin: false), new Uri($"http://127.0.0.1:{port}/"));
        using var http = new HttpClient { BaseAddress = api.BaseAddress, Timeout = TimeSpan.FromSeconds(5) };
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(90);
        while (DateTime.UtcNow < deadline)
        {
            if (api.HasExited) throw new InvalidOperationException($"The API exited during start-up:\n{api.Output}");
            try
            {
                using var r = await http.GetAsync("health/ready", ct);
                if (r.IsSuccessStatusCode) return api;
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException) when (!ct.IsCancellationRequested)
            {
            }
            await Task.Delay(200, ct);
        }
        await api.DisposeAsync();
        throw new TimeoutException($"The API was not ready within 90 s:\n{api.Output}");
    }

    /// <summary>Resident memory of the server process, from /proc/&lt;pid&gt;/status (VmRSS).</summary>
    public long RssBytes()
    {
        foreach (var line in File.ReadLines($"/proc/{Pid}/status"))
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
                return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], System.Globalization.CultureInfo.InvariantCulture) * 1024;
        throw new InvalidOperationException("VmRSS not found");
    }
}
