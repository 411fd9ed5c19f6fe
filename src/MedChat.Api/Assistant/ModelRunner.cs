using System.Diagnostics;
using MedChat.Api.Web;
using Microsoft.Extensions.AI;

namespace MedChat.Api.Assistant;

/// <summary>The model did not answer usefully; the patient's message is stored regardless.</summary>
public sealed class AssistantUnavailableException(int status, string detail) : ApiException(status, "The assistant could not answer", detail);

/// <summary>
/// One model call with the failure rules of the contract: a time limit for the first token (per
/// attempt) and for silences and the whole reply after it; retries with jitter only before the
/// first token; and a circuit breaker so a dead model server fails fast instead of piling up waits.
/// </summary>
public sealed class ModelRunner(IChatClient client, AssistantOptions options, TimeProvider time, Telemetry.MedChatMetrics metrics, ILogger<ModelRunner> log)
{
    private readonly Lock _gate = new();
    private int _consecutiveFailures;
    private DateTimeOffset _openUntil;

    public sealed record Outcome(string Text, int PromptTokens, int CompletionTokens, long LatencyMs, string FinishReason, string? Model);

    public string Provider => options.Provider;

    public static TimeSpan BackoffCeiling(int attempt) => TimeSpan.FromMilliseconds(500 * Math.Pow(2, attempt) + 250);

    public async Task<Outcome> RunAsync(IList<ChatMessage> prompt, Func<string, Task> onText, CancellationToken ct)
    {
        lock (_gate)
        {
            if (time.GetUtcNow() < _openUntil)
                throw new AssistantUnavailableException(503, "The assistant is paused after repeated model failures. Your message is stored and the clinic's team can read it; try the assistant again in a minute.");
        }
        var started = Stopwatch.GetTimestamp();
        for (var attempt = 0; ; attempt++)
        {
            using var limit = new CancellationTokenSource(Timeout.InfiniteTimeSpan, time);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(ct, limit.Token);
            limit.CancelAfter(TimeSpan.FromSeconds(options.FirstTokenTimeoutSeconds));
            var text = new System.Text.StringBuilder();
            int promptTokens = 0, completionTokens = 0;
            string finish = "stop";
            string? model = options.Model;
            var deadline = time.GetUtcNow() + TimeSpan.FromSeconds(options.TotalTimeoutSeconds);
            try
            {
                await foreach (var update in client.GetStreamingResponseAsync(prompt, new ChatOptions { ModelId = options.Model }, linked.Token))
                {
                    model = update.ModelId ?? model;
                    if (update.FinishReason is { } reason) finish = reason.Value;
                    foreach (var usage in update.Contents.OfType<UsageContent>())
                    {
                        promptTokens = (int)(usage.Details.InputTokenCount ?? promptTokens);
                        completionTokens = (int)(usage.Details.OutputTokenCount ?? completionTokens);
                    }
                    if (string.IsNullOrEmpty(update.Text)) continue;
                    text.Append(update.Text);
                    // After the first token: the next must come within the stall limit, and all by the total limit.
                    var left = deadline - time.GetUtcNow();
                    limit.CancelAfter(TimeSpan.FromSeconds(Math.Min(options.StallTimeoutSeconds, Math.Max(0.001, left.TotalSeconds))));
                    await onText(update.Text);
                }
                if (text.Length == 0) throw new InvalidOperationException("The model returned no text.");
                Succeeded();
                var latency = (long)Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                metrics.Assistant(latency, promptTokens, completionTokens);
                return new Outcome(text.ToString(), promptTokens, completionTokens, latency, finish, model);
            }
            catch (Exception e) when (!ct.IsCancellationRequested && e is not AssistantUnavailableException)
            {
                var timedOut = limit.IsCancellationRequested;
                log.LogWarning("Model call attempt {Attempt} failed: {Failure}", attempt + 1, timedOut ? "timeout" : e.GetType().Name);
                if (text.Length == 0 && attempt + 1 < options.Attempts)
                {
                    await Task.Delay(TimeSpan.FromMilliseconds(500 * Math.Pow(2, attempt) + Random.Shared.Next(0, 250)), time, ct);
                    continue;
                }
                Failed();
                throw new AssistantUnavailableException(timedOut ? 504 : 502, text.Length == 0
                    ? $"The assistant's model did not answer{(timedOut ? " in time" : "")}. Your message is stored; retry with the same clientMessageId, or ask for a nurse."
                    : "The assistant's reply broke off. Your message is stored; retry with the same clientMessageId, or ask for a nurse.");
            }
        }
    }

    private void Succeeded()
    {
        lock (_gate) _consecutiveFailures = 0;
    }

    private void Failed()
    {
        lock (_gate)
        {
            if (++_consecutiveFailures < options.BreakerFailures) return;
            _openUntil = time.GetUtcNow() + TimeSpan.FromSeconds(options.BreakerOpenSeconds);
            _consecutiveFailures = 0;
            log.LogWarning("Model circuit open for {Seconds} s after repeated failures", options.BreakerOpenSeconds);
        }
    }
}
