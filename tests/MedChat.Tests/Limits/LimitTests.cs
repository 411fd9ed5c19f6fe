using MedChat.Api.Realtime;
using MedChat.Tests.Messages;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;

namespace MedChat.Tests.Limits;

/// <summary>An app with small limits, so a flood is a few requests.</summary>
public sealed class LimitedApp : MedChatApp
{
    public const int Sends = 5;
    public const int Requests = 40;
    public const int Typing = 6;

    protected override void Configure(IWebHostBuilder builder)
    {
        builder.UseSetting("Limits:TypingPerMinute", Typing.ToString(System.Globalization.CultureInfo.InvariantCulture));
        builder.UseSetting("Limits:SendsPerMinute", Sends.ToString(System.Globalization.CultureInfo.InvariantCulture));
        builder.UseSetting("Limits:RequestsPerMinute", Requests.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }
}

/// <summary>
/// Per-user limits hold across REST, the hub and every connection of the user; other users are served;
/// an emergency always goes through. The window is a wall-clock minute, so each test uses fresh users.
/// </summary>
public sealed class LimitTests(LimitedApp app) : IClassFixture<LimitedApp>, IAsyncLifetime
{
    private readonly List<HubConnection> _hubs = [];
    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private const string Emergency = "I have crushing chest pain going down my left arm";

    public async ValueTask InitializeAsync() => await app.ResetAsync();

    public async ValueTask DisposeAsync()
    {
        foreach (var h in _hubs) await h.DisposeAsync();
    }

    private async Task<HubConnection> HubAsync(TestUser user)
    {
        var hub = app.Hub(user);
        _hubs.Add(hub);
        await hub.StartReadyAsync(Ct);
        return hub;
    }

    [Fact]
    public async Task AFloodOfSendsFromOneUserGets429WithRetryAfterWhileOthersAreServed()
    {
        var patient = await app.UserAsync();
        var other = await app.UserAsync();
        var c = await app.StartConversationAsync(patient);
        var mine = await app.StartConversationAsync(other);
        var client = app.Client(patient);

        for (var i = 0; i < LimitedApp.Sends; i++) await client.PostAsync(c.Id, $"message {i}");
        var refused = await client.SendAsync(c.Id, "one too many");

        var problem = await refused.ProblemAsync(HttpStatusCode.TooManyRequests);
        var retryAfter = int.Parse(Assert.Single(refused.Headers.GetValues("Retry-After")), System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(retryAfter, 1, 60);
        Assert.Contains($"retry after {retryAfter} s", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(LimitedApp.Sends, await app.StoredMessagesAsync(c.Id));
        await app.Client(other).PostAsync(mine.Id, "I am still served");
    }

    [Fact]
    public async Task SendsThroughRestAndTwoHubConnectionsShareOneLimitAndTheHubSaysRetryAfter()
    {
        var patient = await app.UserAsync();
        var c = await app.StartConversationAsync(patient);
        var tab1 = await HubAsync(patient);
        var tab2 = await HubAsync(patient);

        await app.Client(patient).PostAsync(c.Id, "rest 1");
        await app.Client(patient).PostAsync(c.Id, "rest 2");
        await tab1.InvokeAsync<MessageDto>("SendMessage", c.Id, "t1-1", "tab one", Ct);
        await tab2.InvokeAsync<MessageDto>("SendMessage", c.Id, "t2-1", "tab two", Ct);
        await tab2.InvokeAsync<MessageDto>("SendMessage", c.Id, "t2-2", "tab two again", Ct);
        var refused = await Assert.ThrowsAsync<HubException>(() => tab1.InvokeAsync<MessageDto>("SendMessage", c.Id, "t1-2", "over", Ct));

        Assert.Matches(@"retry after \d+ s", refused.Message);
        Assert.Equal(HubConnectionState.Connected, tab1.State);
        await app.Client(patient).SendAsync(c.Id, "rest over").ProblemAsync(HttpStatusCode.TooManyRequests);
        Assert.Equal(LimitedApp.Sends, await app.StoredMessagesAsync(c.Id));
    }

    [Fact]
    public async Task AnEmergencyIsNeverRefused()
    {
        var patient = await app.UserAsync();
        var c = await app.StartConversationAsync(patient);
        var hub = await HubAsync(patient);
        for (var i = 0; i < LimitedApp.Sends; i++) await app.Client(patient).PostAsync(c.Id, $"message {i}");
        await app.Client(patient).SendAsync(c.Id, "routine over the limit").ProblemAsync(HttpStatusCode.TooManyRequests);

        await app.Client(patient).PostAsync(c.Id, Emergency);
        await hub.InvokeAsync<MessageDto>("SendMessage", c.Id, "emergency-hub", Emergency, Ct);
        var assistant = await app.Client(patient).PostJsonAsync("/api/chat", new { conversationId = c.Id, message = Emergency, clientMessageId = "emergency-chat" });
        Assert.Equal(HttpStatusCode.OK, assistant.StatusCode);
    }

    [Fact]
    public async Task AFloodOfRequestsGets429OnRestAndTheHubWhileOthersAreServed()
    {
        var patient = await app.UserAsync();
        var other = await app.UserAsync();
        var hub = await HubAsync(patient);
        var client = app.Client(patient);

        HttpResponseMessage last;
        var calls = 1; // the hub's connect request counted once
        do
        {
            last = await client.GetAsync("/api/me", Ct);
            calls++;
        } while (last.StatusCode == HttpStatusCode.OK && calls < LimitedApp.Requests + 5);

        await last.ProblemAsync(HttpStatusCode.TooManyRequests);
        Assert.True(last.Headers.RetryAfter?.Delta is { } delta && delta > TimeSpan.Zero && delta <= TimeSpan.FromSeconds(60));
        Assert.InRange(calls, LimitedApp.Requests - 1, LimitedApp.Requests + 2);
        var refused = await Assert.ThrowsAsync<HubException>(() => hub.InvokeAsync<IReadOnlyList<PresenceDto>>("GetPresence", Guid.CreateVersion7(), Ct));
        Assert.Matches(@"retry after \d+ s", refused.Message);
        // Typing over the limit is dropped, never an error.
        await hub.InvokeAsync("Typing", Guid.CreateVersion7(), true, Ct);
        Assert.Equal(HubConnectionState.Connected, hub.State);
        await app.Client(other).GetAsync("/api/me", Ct).ReadAsync<MeDto>(HttpStatusCode.OK);
    }

    [Fact]
    public async Task TooFrequentTypingIsDroppedSilently()
    {
        var patient = await app.UserAsync();
        var nurse = await app.UserAsync(Role.Staff);
        var c = await app.StartHeldConversationAsync(patient, nurse);
        var hub = await HubAsync(patient);
        var nurseHub = await HubAsync(nurse);
        var nurseEvents = new HubRecorder(nurseHub);
        await hub.InvokeAsync<JoinResult>("JoinConversation", c.Id, 0L, Ct);
        await nurseHub.InvokeAsync<JoinResult>("JoinConversation", c.Id, 0L, Ct);

        for (var i = 0; i < 5 * LimitedApp.Typing; i++) await hub.InvokeAsync("Typing", c.Id, i % 2 == 0, Ct);
        // A marker after the typing: once the nurse has it, every typing event that was passed on has arrived.
        await hub.InvokeAsync<MessageDto>("SendMessage", c.Id, "marker", "marker", Ct);
        await nurseEvents.WaitForAsync<MessageDto>("MessageCreated");

        Assert.Equal(HubConnectionState.Connected, hub.State);
        var typing = nurseEvents.All<TypingChanged>("TypingChanged").Where(t => t.UserId == patient.Id).ToList();
        Assert.InRange(typing.Count(t => t.IsTyping), 1, LimitedApp.Typing);
    }
}

/// <summary>Two nodes on one Redis: a user's sends are counted once across both.</summary>
public sealed class LimitedNodes : Realtime.TwoNodes<LimitedApp>;

public sealed class LimitAcrossNodesTests(LimitedNodes nodes) : IClassFixture<LimitedNodes>
{
    [Fact]
    public async Task SendsOnTwoNodesShareOneLimitWhenRedisIsConfigured()
    {
        await nodes.A.ResetAsync();
        var patient = await nodes.A.UserAsync();
        var c = await nodes.A.StartConversationAsync(patient);

        for (var i = 0; i < LimitedApp.Sends; i++)
            await (i % 2 == 0 ? nodes.A : nodes.B).Client(patient).PostAsync(c.Id, $"message {i}");

        var refused = await nodes.B.Client(patient).SendAsync(c.Id, "over on B");
        await refused.ProblemAsync(HttpStatusCode.TooManyRequests);
        await nodes.A.Client(patient).SendAsync(c.Id, "over on A").ProblemAsync(HttpStatusCode.TooManyRequests);
        Assert.True(refused.Headers.Contains("Retry-After"));
    }
}
