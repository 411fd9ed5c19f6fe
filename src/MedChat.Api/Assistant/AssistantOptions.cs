namespace MedChat.Api.Assistant;

/// <summary>The "Ai" settings. The provider is configuration, not code.</summary>
public sealed class AssistantOptions
{
    /// <summary><c>none</c> (the built-in offline responder) or <c>openai</c> (any OpenAI-compatible server).</summary>
    public string Provider { get; set; } = "none";
    /// <summary>Base URL without <c>/v1</c>.</summary>
    public string? Endpoint { get; set; }
    public string? Model { get; set; }
    public string? ApiKey { get; set; }
    /// <summary>The <c>none</c> provider's pause between streamed chunks (0: no pause). ./run sets it so a demo visibly streams.</summary>
    public int OfflinePaceMs { get; set; }
    public int RequestsPerUserPerDay { get; set; } = 500;
    public long TokensPerUserPerDay { get; set; } = 500_000;

    /// <summary>Per attempt; with <see cref="Attempts"/> and backoff the worst case stays under the contract's 60 s.</summary>
    public double FirstTokenTimeoutSeconds { get; set; } = 18;
    /// <summary>Retries happen only before the first token: a reply is never restarted halfway.</summary>
    public int Attempts { get; set; } = 3;
    /// <summary>Longest silence between two tokens once a reply streams.</summary>
    public double StallTimeoutSeconds { get; set; } = 30;
    /// <summary>Longest whole reply; under the contract's 120 s.</summary>
    public double TotalTimeoutSeconds { get; set; } = 110;
    /// <summary>Consecutive failed calls that open the circuit, and how long it stays open.</summary>
    public int BreakerFailures { get; set; } = 5;
    public double BreakerOpenSeconds { get; set; } = 30;

    /// <summary>The model sees this conversation's recent turns only, at most this many characters.</summary>
    public const int MaxContextChars = 32_000;

    /// <summary>Worst-case seconds until a model that never answers is reported (attempts, timeouts and backoff).</summary>
    public double WorstCaseFirstTokenSeconds =>
        Attempts * FirstTokenTimeoutSeconds + Enumerable.Range(0, Math.Max(0, Attempts - 1)).Sum(a => ModelRunner.BackoffCeiling(a).TotalSeconds);
}
