using MedChat.Api.Realtime;
using Microsoft.AspNetCore.SignalR.Client;

namespace MedChat.Tests.Realtime;

/// <summary>Two API nodes on one PostgreSQL and one Redis, as behind a load balancer.</summary>
public sealed class TwoNodes : TwoNodes<MedChatApp>;

/// <summary>Two nodes of one kind of test app (its settings) on one PostgreSQL and one Redis.</summary>
public class TwoNodes<TApp> : IAsyncLifetime where TApp : MedChatApp, new()
{
    public TestRedis Redis { get; } = new();
    public TApp A { get; private set; } = null!;
    public TApp B { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        await Redis.StartAsync();
        var database = await TestCluster.Instance.CreateDatabaseAsync();
        A = new TApp { ExistingDatabase = database, RedisConfiguration = Redis.Configuration };
        B = new TApp { ExistingDatabase = database, RedisConfiguration = Redis.Configuration };
        await A.InitializeAsync();
        await B.InitializeAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await A.DisposeAsync();
        await B.DisposeAsync();
        await Redis.DisposeAsync();
    }
}

public sealed class ScaleOutTests(TwoNodes nodes) : IClassFixture<TwoNodes>, IAsyncLifetime
{
    private readonly List<HubConnection> _hubs = [];
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => await nodes.A.ResetAsync();

    public async ValueTask DisposeAsync()
    {
        foreach (var h in _hubs) await h.DisposeAsync();
    }

    private async Task<(HubConnection Hub, HubRecorder Events)> ConnectAsync(MedChatApp node, TestUser user)
    {
        var hub = node.Hub(user);
        var events = new HubRecorder(hub);
        _hubs.Add(hub);
        await hub.StartReadyAsync(Ct);
        return (hub, events);
    }

    private async Task<Guid> HeldConversationAsync(TestUser patient, TestUser nurse)
    {
        var c = await nodes.A.Client(patient).PostJsonAsync("/api/chat/conversations", new { }).ReadAsync<ConversationDto>(HttpStatusCode.Created);
        await nodes.A.Client(patient).PatchAsJsonAsync($"/api/chat/{c.Id}/status", new { status = "awaiting_staff" }, Ct);
        await nodes.B.Client(nurse).PostAsync($"/api/chat/{c.Id}/claim", null, Ct);
        return c.Id;
    }

    [Fact]
    public async Task APatientOnOneNodeAndANurseOnAnotherExchangeMessagesTypingReceiptsAndPresence()
    {
        var patient = await nodes.A.UserAsync();
        var nurse = await nodes.A.UserAsync(Role.Staff);
        var c = await HeldConversationAsync(patient, nurse);
        var (patientHub, patientEvents) = await ConnectAsync(nodes.A, patient);
        await patientHub.InvokeAsync<JoinResult>("JoinConversation", c, 0L, Ct);

        var (nurseHub, nurseEvents) = await ConnectAsync(nodes.B, nurse);
        var online = await patientEvents.WaitForAsync<PresenceChanged>("PresenceChanged", match: p => p.UserId == nurse.Id);
        Assert.True(online.Single().Online);
        await nurseHub.InvokeAsync<JoinResult>("JoinConversation", c, 0L, Ct);

        var sent = await patientHub.InvokeAsync<MessageDto>("SendMessage", c, "a1", "hello from node A", Ct);
        var atNurse = await nurseEvents.WaitForAsync<MessageDto>("MessageCreated");
        Assert.Equal(sent.Id, atNurse.Single().Id);

        await nurseHub.InvokeAsync("Typing", c, true, Ct);
        var typing = await patientEvents.WaitForAsync<TypingChanged>("TypingChanged");
        Assert.True(typing.Single().IsTyping);

        await nurseHub.InvokeAsync("MarkRead", c, sent.Seq, Ct);
        var receipt = await patientEvents.WaitForAsync<ReceiptsChanged>("ReceiptsUpdated");
        Assert.Equal(new ReceiptsChanged(c, nurse.Id, 1, 1), receipt.Single());

        var reply = await nurseHub.InvokeAsync<MessageDto>("SendMessage", c, "b1", "hello from node B", Ct);
        var atPatient = await patientEvents.WaitForAsync<MessageDto>("MessageCreated", 2);
        Assert.Equal(reply.Id, atPatient[1].Id);

        var presence = await patientHub.InvokeAsync<List<PresenceDto>>("GetPresence", c, Ct);
        Assert.Contains(presence, p => p.UserId == nurse.Id && p.Online);

        await Task.Delay(300, Ct);
        Assert.Equal(2, patientEvents.All("MessageCreated").Count);
        Assert.Equal(2, nurseEvents.All("MessageCreated").Count);

        await nurseHub.StopAsync(Ct);
        var offline = await patientEvents.WaitForAsync<PresenceChanged>("PresenceChanged", match: p => p.UserId == nurse.Id && !p.Online);
        Assert.NotNull(offline.Single().LastSeenAt);
    }

    [Fact]
    public async Task AUserWithConnectionsOnTwoNodesStaysOnlineUntilBothClose()
    {
        var patient = await nodes.A.UserAsync();
        var nurse = await nodes.A.UserAsync(Role.Staff);
        var c = await HeldConversationAsync(patient, nurse);
        var (patientHub, patientEvents) = await ConnectAsync(nodes.A, patient);
        var (onA, _) = await ConnectAsync(nodes.A, nurse);
        var (onB, _) = await ConnectAsync(nodes.B, nurse);

        await onA.StopAsync(Ct);
        await Task.Delay(500, Ct);
        Assert.DoesNotContain(patientEvents.All<PresenceChanged>("PresenceChanged"), p => p.UserId == nurse.Id && !p.Online);
        Assert.Contains(await patientHub.InvokeAsync<List<PresenceDto>>("GetPresence", c, Ct), p => p.UserId == nurse.Id && p.Online);

        await onB.StopAsync(Ct);
        await patientEvents.WaitForAsync<PresenceChanged>("PresenceChanged", match: p => p.UserId == nurse.Id && !p.Online);
    }

    [Fact]
    public async Task WhenRedisGoesAwayANodeKeepsServingItsOwnClientsAndReportsDegradedUntilItReturns()
    {
        var patient = await nodes.A.UserAsync();
        var nurse = await nodes.A.UserAsync(Role.Staff);
        var c = await HeldConversationAsync(patient, nurse);
        var (patientHub, patientEvents) = await ConnectAsync(nodes.A, patient);
        var (nurseHub, nurseEvents) = await ConnectAsync(nodes.A, nurse);
        await patientHub.InvokeAsync<JoinResult>("JoinConversation", c, 0L, Ct);
        await nurseHub.InvokeAsync<JoinResult>("JoinConversation", c, 0L, Ct);

        await nodes.Redis.StopAsync();
        try
        {
            var sent = await nodes.A.Client(patient).PostJsonAsync($"/api/chat/{c}/messages", new { content = "while redis is down", clientMessageId = "down-1" })
                .ReadAsync<MessageDto>(HttpStatusCode.Created);
            var atNurse = await nurseEvents.WaitForAsync<MessageDto>("MessageCreated");
            Assert.Equal(sent.Id, atNurse.Single().Id);

            var ready = await nodes.A.Client().GetAsync("/health/ready", Ct);
            Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
            Assert.Equal("Degraded", await ready.Content.ReadAsStringAsync(Ct));
        }
        finally
        {
            await nodes.Redis.StartAsync();
        }

        // Back: the backplane resubscribes, and a message posted on the other node arrives here again.
        var deadline = DateTime.UtcNow.AddSeconds(20);
        string health;
        do
        {
            await Task.Delay(250, Ct);
            health = await nodes.A.Client().GetStringAsync("/health/ready", Ct);
        }
        while (health != "Healthy" && DateTime.UtcNow < deadline);
        Assert.Equal("Healthy", health);
        await Task.Delay(1000, Ct);
        var later = await nodes.B.Client(nurse).PostJsonAsync($"/api/chat/{c}/messages", new { content = "after redis came back", clientMessageId = "up-1" })
            .ReadAsync<MessageDto>(HttpStatusCode.Created);
        var atPatient = await patientEvents.WaitForAsync<MessageDto>("MessageCreated", 2);
        Assert.Equal(later.Id, atPatient[1].Id);
    }
}
