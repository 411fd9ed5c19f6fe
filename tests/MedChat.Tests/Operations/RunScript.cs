using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Sockets;

namespace MedChat.Tests.Operations;

/// <summary>
/// The repository's <c>./run</c> as a child process, the way a developer starts it: prebuilt Debug
/// output, its own data folder and port. Reads what it prints; stops it with SIGTERM.
/// </summary>
public sealed class RunScript : IAsyncDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _output = new();
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public int Port { get; }
    public int Pid => _process.Id;
    public Uri BaseAddress => new($"http://127.0.0.1:{Port}");
    public string Output => string.Join('\n', _output);
    public string? PatientToken { get; private set; }
    public bool HasExited => _process.HasExited;
    public int ExitCode => _process.ExitCode;

    private RunScript(Process process, int port)
    {
        _process = process;
        Port = port;
    }

    public static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "MedChat.slnx"))) return dir.FullName;
        throw new InvalidOperationException($"No MedChat.slnx above {AppContext.BaseDirectory}");
    }

    public static int FreePort()
    {
        using var l = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        l.Start();
        return ((System.Net.IPEndPoint)l.LocalEndpoint).Port;
    }

    /// <summary>Starts ./run and waits until it has printed the demo tokens and its URLs.</summary>
    public static async Task<RunScript> StartAsync(string dataDir, TimeSpan timeout, CancellationToken ct)
    {
        var root = RepoRoot();
        var port = FreePort();
        var psi = new ProcessStartInfo(Path.Combine(root, "run"))
        {
            WorkingDirectory = root,
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        // Nothing from the test run's own environment may point the server elsewhere.
        foreach (var key in psi.Environment.Keys.Where(k => k.StartsWith("ConnectionStrings__", StringComparison.Ordinal) ||
                     k.StartsWith("Auth__", StringComparison.Ordinal) || k.StartsWith("Redis__", StringComparison.Ordinal) ||
                     k.StartsWith("Ai__", StringComparison.Ordinal) || k.StartsWith("Database__", StringComparison.Ordinal)).ToList())
            psi.Environment.Remove(key);
        psi.Environment["MEDCHAT_DATA_DIR"] = dataDir;
        psi.Environment["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}";
        psi.Environment["MEDCHAT_NO_BUILD"] = "1";
        psi.Environment["MEDCHAT_CONFIGURATION"] = "Debug";

        var run = new RunScript(Process.Start(psi) ?? throw new InvalidOperationException("./run did not start"), port);
        run._process.OutputDataReceived += (_, e) => run.OnLine(e.Data, stderr: false);
        run._process.ErrorDataReceived += (_, e) => run.OnLine(e.Data, stderr: true);
        run._process.BeginOutputReadLine();
        run._process.BeginErrorReadLine();
        _ = run._process.WaitForExitAsync(CancellationToken.None).ContinueWith(_ => run._ready.TrySetResult(), TaskScheduler.Default);

        try
        {
            await run._ready.Task.WaitAsync(timeout, ct);
        }
        catch (TimeoutException)
        {
            Assert.Fail($"./run printed no token and URLs within {timeout.TotalSeconds:0} s. Output:\n{run.Output}");
        }
        if (run._process.HasExited) Assert.Fail($"./run exited ({run._process.ExitCode}) before it was ready. Output:\n{run.Output}");
        return run;
    }

    private void OnLine(string? line, bool stderr)
    {
        if (line is null) return;
        _output.Enqueue(stderr ? "[stderr] " + line : line);
        const string prefix = "TOKEN_PATIENT_1=";
        var trimmed = line.Trim();
        if (!stderr && trimmed.StartsWith(prefix, StringComparison.Ordinal)) PatientToken = trimmed[prefix.Length..];
        if (PatientToken is not null && _output.Any(l => l.Contains($"Health:     {BaseAddress}health/ready", StringComparison.Ordinal)))
            _ready.TrySetResult();
    }

    /// <summary>SIGTERM, as a service manager or `kill` sends it (Process.Kill would be SIGKILL), then waits for the exit.</summary>
    public async Task TerminateAsync(TimeSpan timeout, CancellationToken ct)
    {
        using (var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
            await kill.WaitForExitAsync(ct);
        try
        {
            await _process.WaitForExitAsync(ct).WaitAsync(timeout, ct);
        }
        catch (TimeoutException)
        {
            Assert.Fail($"./run did not exit within {timeout.TotalSeconds:0} s of SIGTERM. Output:\n{Output}");
        }
    }

    public static bool Listening(int port)
    {
        try
        {
            using var c = new TcpClient();
            c.Connect(System.Net.IPAddress.Loopback, port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync(CancellationToken.None);
        }
        _process.Dispose();
    }
}

/// <summary>Where ./run put the PostgreSQL cluster for a data folder, and whether it is still running.</summary>
public sealed record RunCluster(string Root)
{
    public string DataDir => Path.Combine(Root, "pg");
    public string PidFile => Path.Combine(DataDir, "postmaster.pid");
    public string Socket => Path.Combine(Root, "sock", ".s.PGSQL.5432");

    public static RunCluster For(string dataDir)
    {
        var note = Path.Combine(dataDir, "cluster-location");
        if (!File.Exists(note)) return new RunCluster(dataDir);
        var text = File.ReadAllText(note);
        const string marker = "the cluster lives in ";
        var at = text.IndexOf(marker, StringComparison.Ordinal);
        Assert.True(at >= 0, $"cluster-location does not say where the cluster is: {text}");
        return new RunCluster(text[(at + marker.Length)..].Trim());
    }

    /// <summary>PostgreSQL server processes whose command line names this cluster's data folder.</summary>
    public IReadOnlyList<int> ServerProcesses()
    {
        var found = new List<int>();
        foreach (var dir in Directory.GetDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid)) continue;
            string cmdline;
            try
            {
                cmdline = File.ReadAllText(Path.Combine(dir, "cmdline")).Replace('\0', ' ');
            }
            catch (IOException)
            {
                continue;
            }
            catch (UnauthorizedAccessException)
            {
                continue;
            }
            if (cmdline.Contains("postgres", StringComparison.Ordinal) && cmdline.Contains($"-D {DataDir} ", StringComparison.Ordinal)) found.Add(pid);
        }
        return found;
    }
}
