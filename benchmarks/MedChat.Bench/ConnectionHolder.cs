using System.Globalization;
using Microsoft.AspNetCore.SignalR.Client;

namespace MedChat.Bench;

/// <summary>
/// <c>MedChat.Bench hold &lt;server&gt; &lt;count&gt;</c>: a child process that opens idle hub connections
/// (one new patient each, token signed with MEDCHAT_BENCH_KEY), prints <c>ready &lt;ok&gt; &lt;failed&gt;</c>,
/// and holds them until it reads <c>stop</c> (or its input closes, or 15 minutes pass).
/// </summary>
internal static class ConnectionHolder
{
    public const string Verb = "hold";
    private const int Parallelism = 16;
    private static readonly TimeSpan MaxHold = TimeSpan.FromMinutes(15);

    public static async Task<int> RunAsync(string[] args)
    {
        if (args.Length != 2 || !Uri.TryCreate(args[0], UriKind.Absolute, out var server) || !int.TryParse(args[1], CultureInfo.InvariantCulture, out var count)
            || Environment.GetEnvironmentVariable("MEDCHAT_BENCH_KEY") is not { Length: > 0 } key)
        {
            await Console.Error.WriteLineAsync("usage: MedChat.Bench hold <server> <count>, with MEDCHAT_BENCH_KEY set");
            return 2;
        }
        if (!server.IsLoopback)
        {
            await Console.Error.WriteLineAsync("Only loopback servers.");
            return 2;
        }
        // Each connection is one socket; leave room for the runtime's own descriptors.
        var fdLimit = OpenFilesLimit();
        if (fdLimit is { } max && count > max - 256)
        {
            Console.WriteLine($"limit open-files {max}: holding {max - 256} of {count}");
            count = (int)(max - 256);
        }

        var tokens = new Tokens(key);
        var hubs = new HubConnection?[count];
        int ok = 0, failed = 0;
        string? firstError = null;
        await Parallel.ForAsync(0, count, new ParallelOptions { MaxDegreeOfParallelism = Parallelism }, async (i, _) =>
        {
            var hub = Setup.Hub(server, tokens.For(Guid.CreateVersion7()));
            try
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
                await hub.StartAsync(timeout.Token);
                hubs[i] = hub;
                var n = Interlocked.Increment(ref ok);
                if (n % 500 == 0) Console.WriteLine($"progress {n}");
            }
            catch (Exception e)
            {
                Interlocked.Increment(ref failed);
                Interlocked.CompareExchange(ref firstError, e.GetType().Name + ": " + e.Message.ReplaceLineEndings(" "), null);
                await hub.DisposeAsync();
            }
        });
        Console.WriteLine($"ready {ok} {failed} {firstError}".TrimEnd());

        var stop = Task.Run(async () =>
        {
            while (await Console.In.ReadLineAsync() is { } line)
                if (line.Trim() == "stop") return;
        });
        await Task.WhenAny(stop, Task.Delay(MaxHold));
        var open = hubs.Count(h => h?.State == HubConnectionState.Connected);
        await Parallel.ForEachAsync(hubs.Where(h => h is not null), new ParallelOptions { MaxDegreeOfParallelism = 64 }, async (h, _) => await h!.DisposeAsync());
        Console.WriteLine($"closed {open}");
        return 0;
    }

    /// <summary>The soft "Max open files" of this process, from /proc/self/limits.</summary>
    public static long? OpenFilesLimit()
    {
        try
        {
            var line = File.ReadLines("/proc/self/limits").FirstOrDefault(l => l.StartsWith("Max open files", StringComparison.Ordinal));
            var soft = line?["Max open files".Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries)[0];
            return long.TryParse(soft, CultureInfo.InvariantCulture, out var v) ? v : null;
        }
        catch (IOException)
        {
            return null;
        }
    }
}
