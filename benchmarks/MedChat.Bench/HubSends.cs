using MedChat.Client;
using Microsoft.AspNetCore.SignalR.Client;

namespace MedChat.Bench;

/// <summary>
/// The hub's SendMessage, closed loop, at the same concurrency levels as the REST sends: each worker
/// is its own patient with its own hub connection and conversation, and awaits each send's result
/// (the stored message) before the next. Same service method as REST behind it, without HTTP's
/// per-request work (a WebSocket frame instead of a request with headers and a bearer token).
/// </summary>
internal static class HubSends
{
    public static async Task<List<RestLevel>> RunAsync(Stack stack, BenchPlan plan, CeilingResult? ceiling, CancellationToken ct)
    {
        Progress.Phase("Hub sends: SendMessage on the patient's own hub connection");
        using var http = Setup.HttpFor(stack.BaseAddress);
        var patients = await new Setup(stack, http).PatientsAsync(plan.Concurrency.Max(), ct);
        var hubs = new HubConnection[patients.Count];
        await Parallel.ForAsync(0, patients.Count, new ParallelOptions { MaxDegreeOfParallelism = 16, CancellationToken = ct }, async (i, c) =>
        {
            hubs[i] = Setup.Hub(stack.BaseAddress, patients[i].Token);
            await hubs[i].StartAsync(c);
        });
        Progress.Step($"{patients.Count} patients, one conversation and one hub connection each");
        try
        {
            var (levels, _) = await ClosedLoop.LevelsAsync(plan, ceiling, "sends", (w, i, t) =>
                hubs[w].InvokeAsync<Message>("SendMessage", patients[w].ConversationId, Guid.NewGuid().ToString(), Ceiling.Content(i), t), ct);
            return levels;
        }
        finally
        {
            foreach (var h in hubs) await h.DisposeAsync();
        }
    }
}
