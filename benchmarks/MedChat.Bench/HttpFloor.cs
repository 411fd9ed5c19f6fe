namespace MedChat.Bench;

/// <summary>
/// What any REST send could reach on this machine: the same request as a send (POST
/// /api/chat/{id}/messages, bearer token, JSON body, through Kestrel, authentication, the limits,
/// routing, binding and the send's own validation), but with an empty content, so the API answers
/// 400 problem+json before it touches the database or the hub. Closed loop, same levels.
/// </summary>
internal static class HttpFloor
{
    public static async Task<List<RestLevel>> RunAsync(Stack stack, BenchPlan plan, CeilingResult? ceiling, CancellationToken ct)
    {
        Progress.Phase("HTTP floor: the send's request answered 400 before the database");
        using var http = Setup.HttpFor(stack.BaseAddress);
        var patients = await new Setup(stack, http).PatientsAsync(plan.Concurrency.Max(), ct);
        var (levels, _) = await ClosedLoop.LevelsAsync(plan, ceiling, "requests", async (w, i, t) =>
        {
            var p = patients[w];
            using var request = new HttpRequestMessage(HttpMethod.Post, $"api/chat/{p.ConversationId}/messages")
            {
                Content = new StringContent("""{"content":"","clientMessageId":"floor"}""", System.Text.Encoding.UTF8, "application/json"),
            };
            request.Headers.Authorization = new("Bearer", p.Token);
            using var response = await http.SendAsync(request, t);
            if (response.StatusCode != System.Net.HttpStatusCode.BadRequest)
                throw new InvalidOperationException($"expected 400, got {(int)response.StatusCode}");
            await response.Content.ReadAsByteArrayAsync(t);
        }, ct);
        return levels;
    }
}
