using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;

namespace MedChat.Bench;

/// <summary>
/// Time to first token through MedChat (POST /api/chat, text/event-stream, first <c>delta</c>) minus
/// the fake model's own time to first token asked directly. Where POST /api/chat does not exist yet
/// (404/405) the result says so and the overhead is null.
/// </summary>
internal static class Assistant
{
    private const string Question = "How should I take my vitamin D supplement?";

    public static async Task<AssistantResult> RunAsync(Stack stack, BenchPlan plan, CancellationToken ct)
    {
        Progress.Phase("Assistant overhead: time to first token through MedChat minus the model's own");
        using var http = Setup.HttpFor(stack.BaseAddress);
        using var model = Setup.HttpFor(stack.Model.BaseAddress);

        var probe = await MedChatFirstTokenAsync(http, stack.Tokens.For(Guid.CreateVersion7()), ct);
        if (probe.Status is HttpStatusCode.NotFound or HttpStatusCode.MethodNotAllowed)
        {
            Progress.Note($"POST /api/chat answered {(int)probe.Status}: the assistant route is not in this build; overhead not measured");
            return new AssistantResult(false, $"POST /api/chat answered {(int)probe.Status}", 0, null, null, null, null);
        }
        if (probe.Ticks is null)
            throw new InvalidOperationException($"POST /api/chat answered {(int)probe.Status} without a delta event: {probe.Detail}");

        var direct = new Latency();
        var through = new Latency();
        // Two passes; only the second is recorded. The first is a warm-up, as every other part has:
        // the first requests through the assistant path pay for JIT compiling it (and its tier-1
        // recompiles), a start-up cost, not per-request overhead.
        for (var i = 0; i < 2 * plan.AssistantRequests; i++)
        {
            // Alternate, so drift on a shared machine lands on both sides alike.
            var modelTicks = await ModelFirstTokenAsync(model, ct);
            var r = await MedChatFirstTokenAsync(http, stack.Tokens.For(Guid.CreateVersion7()), ct);
            if (r.Ticks is null) throw new InvalidOperationException($"POST /api/chat answered {(int)r.Status} without a delta event: {r.Detail}");
            if (i < plan.AssistantRequests) continue;
            direct.RecordTicks(modelTicks);
            through.RecordTicks(r.Ticks.Value);
        }
        var medchat = through.PercentileMs(50)!.Value;
        var own = direct.PercentileMs(50)!.Value;
        var overhead = Math.Round(medchat - own, 3);
        Progress.Step($"{plan.AssistantRequests} requests: MedChat TTFT p50 {medchat:F2} ms, model TTFT p50 {own:F2} ms, overhead p50 {overhead:F2} ms");
        return new AssistantResult(true, null, plan.AssistantRequests, medchat, own, through.PercentileMs(99), overhead);
    }

    private sealed record FirstToken(HttpStatusCode Status, long? Ticks, string? Detail);

    /// <summary>A new patient's first question (a new conversation each time), streamed; timed to the first delta event.</summary>
    private static async Task<FirstToken> MedChatFirstTokenAsync(HttpClient http, string token, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "api/chat")
        {
            Content = JsonContent.Create(new { message = Question, clientMessageId = Guid.NewGuid().ToString() }),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
        var start = Stopwatch.GetTimestamp();
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
        if (!response.IsSuccessStatusCode) return new FirstToken(response.StatusCode, null, await response.Content.ReadAsStringAsync(ct));
        long? first = null;
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(ct));
        // Read to the end (bounded by the server's own limits), so the next request starts on a quiet server.
        while (await reader.ReadLineAsync(ct) is { } line)
        {
            if (first is null && line.StartsWith("event:", StringComparison.Ordinal) && line[6..].Trim() == "delta") first = Stopwatch.GetTimestamp() - start;
            if (line.StartsWith("event:", StringComparison.Ordinal) && line[6..].Trim() is "done" or "error") break;
        }
        return new FirstToken(response.StatusCode, first, first is null ? "no delta event" : null);
    }

    private static async Task<long> ModelFirstTokenAsync(HttpClient http, CancellationToken ct)
    {
        var body = new { model = "fake", stream = true, messages = new[] { new { role = "user", content = Question } } };
        using var request = new HttpRequestMessage(HttpMethod.Post, "v1/chat/completions") { Content = JsonContent.Create(body) };
        var start = Stopwatch.GetTimestamp();
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
        response.EnsureSuccessStatusCode();
        long? first = null;
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(ct));
        while (await reader.ReadLineAsync(ct) is { } line)
        {
            if (first is null && line.StartsWith("data:", StringComparison.Ordinal) && line.Contains("\"content\"", StringComparison.Ordinal))
                first = Stopwatch.GetTimestamp() - start;
            if (line == "data: [DONE]") break;
        }
        return first ?? throw new InvalidOperationException("The fake model sent no content chunk");
    }
}
