namespace MedChat.Bench;

/// <summary>How much of each measurement to run: the full run for docs/, or the CI-sized smoke run.</summary>
internal sealed record BenchPlan
{
    public const string Usage = """
        usage: ./bench [--smoke] [--redis] [--out DIR] [--only ceiling,dbsend,rest,hub,floor,fanout,fanout2,catchup,assistant,capacity] | --render
          --smoke   tiny counts for CI (well under a minute); writes DIR/smoke.json (default bench-results/), never docs/
          --redis   run the API with a Redis backplane (a redis-server the bench starts on a free port), and
                    fanout2: the fan-out again with a second API node (patients on one, staff on the other)
          --out     where the results go (default: bench-results/ for --smoke, docs/ for a full run);
                    a partial run written elsewhere leaves the published docs/ as they are
          --only    run only these parts (the others are null in the results)
          --render  rewrite docs/benchmarks.md and the chart from docs/benchmarks.json (after editing analysis.md)
        """;

    public bool Smoke { get; init; }
    public bool Redis { get; init; }
    public string? OutDir { get; init; }
    public IReadOnlySet<string> Parts { get; init; } = AllParts;

    public static readonly IReadOnlySet<string> AllParts = new HashSet<string> { "ceiling", "dbsend", "rest", "hub", "floor", "fanout", "fanout2", "catchup", "assistant", "capacity" };

    /// <summary>Concurrency levels shared by the database ceiling and the REST sends, so each ratio compares like with like.</summary>
    public int[] Concurrency { get; init; } = [1, 8, 32, 128];
    public TimeSpan LevelDuration { get; init; } = TimeSpan.FromSeconds(10);
    public TimeSpan CeilingDuration { get; init; } = TimeSpan.FromSeconds(5);
    public TimeSpan Warmup { get; init; } = TimeSpan.FromSeconds(2);
    /// <summary>Upper bound on requests per level, whatever the duration.</summary>
    public int MaxPerLevel { get; init; } = 500_000;

    public int[] FanoutRates { get; init; } = [100, 250, 500, 1000, 2000];
    public TimeSpan FanoutDuration { get; init; } = TimeSpan.FromSeconds(8);
    /// <summary>
    /// Enough conversations that each patient sends at a pace a person could (2,000 msg/s for 8 s is
    /// 16 sends each, 1,000 msg/s is one a second). With 200, the 1,000 msg/s level was 5 sends a
    /// second per patient, and the hub's per-connection limit of the time (30 per 10 s) refused some;
    /// the per-user limits that replaced it are lifted for the bench (Stack), so only the pace matters.
    /// </summary>
    public int FanoutConversations { get; init; } = 1000;
    public int FanoutStaff { get; init; } = 50;

    public int CapacityConnections { get; init; } = 10_000;
    /// <summary>Quiet time before each memory reading, so connect-time garbage and pings settle.</summary>
    public TimeSpan CapacitySettle { get; init; } = TimeSpan.FromSeconds(5);
    /// <summary>Connections per child process: well inside the 20,000 open files each process may have.</summary>
    public int ConnectionsPerHolder { get; init; } = 2_500;

    public int CatchupMessages { get; init; } = 1_000;
    public int CatchupRepeats { get; init; } = 5;

    public int AssistantRequests { get; init; } = 30;

    public bool Runs(string part) => Parts.Contains(part);

    public static BenchPlan Parse(string[] args)
    {
        bool smoke = false, redis = false;
        string? outDir = null;
        IReadOnlySet<string>? only = null;
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--smoke": smoke = true; break;
                case "--redis": redis = true; break;
                case "--out" when i + 1 < args.Length: outDir = args[++i]; break;
                case "--only" when i + 1 < args.Length:
                    only = args[++i].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToHashSet();
                    if (only.Except(AllParts).FirstOrDefault() is { } unknown) throw new ArgumentException($"Unknown part: {unknown}");
                    break;
                default: throw new ArgumentException($"Unknown argument: {args[i]}");
            }
        }
        var plan = smoke ? SmokePlan : new BenchPlan();
        return plan with { Smoke = smoke, Redis = redis, OutDir = outDir, Parts = only ?? AllParts };
    }

    private static readonly BenchPlan SmokePlan = new()
    {
        Concurrency = [1, 8],
        LevelDuration = TimeSpan.FromSeconds(1.5),
        CeilingDuration = TimeSpan.FromSeconds(1),
        Warmup = TimeSpan.FromSeconds(0.5),
        MaxPerLevel = 20_000,
        FanoutRates = [20, 50],
        FanoutDuration = TimeSpan.FromSeconds(2),
        FanoutConversations = 10,
        FanoutStaff = 2,
        CapacityConnections = 200,
        CapacitySettle = TimeSpan.FromSeconds(1),
        ConnectionsPerHolder = 200,
        CatchupMessages = 100,
        CatchupRepeats = 2,
        AssistantRequests = 5,
    };
}
