using MedChat.Api.Realtime;
using MedChat.Tests.Messages;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;

namespace MedChat.Tests.Realtime;

public sealed class HubTests(MedChatApp app) : ApiTest(app)
{
    private readonly List<HubConnection> _hubs = [];

    public override async ValueTask DisposeAsync()
    {
        foreach (var h in _hubs) await h.DisposeAsync();
    }

    private async Task<(HubConnection Hub, HubRecorder Events)> ConnectAsync(TestUser user)
    {
        var hub = App.Hub(user);
        var events = new HubRecorder(hub);
        _hubs.Add(hub);
        await hub.StartReadyAsync(Ct);
        return (hub, events);
    }

    private async Task<ConversationDto> ConversationAsync(TestUser patient) =>
        await App.Client(patient).PostJsonAsync("/api/chat/conversations", new { title = "t" }).ReadAsync<ConversationDto>(HttpStatusCode.Created);

    private async Task<MessageDto> PostAsync(TestUser user, Guid conversationId, string content, string? clientMessageId = null) =>
        await (await App.Client(user).PostJsonAsync($"/api/chat/{conversationId}/messages", new { content, clientMessageId = clientMessageId ?? Guid.NewGuid().ToString() }))
            .ReadAsync<MessageDto>(HttpStatusCode.Created);

    [Fact]
    public async Task AMessagePostedOverRestReachesEveryJoinedConnectionExactlyOnceIncludingTheSendersOwn()
    {
        var patient = await App.UserAsync();
        var nurse = await App.UserAsync(Role.Staff);
        var c = await App.StartHeldConversationAsync(patient, nurse);
        var (nurseHub, nurseEvents) = await ConnectAsync(nurse);
        var (patientHub, patientEvents) = await ConnectAsync(patient);
        await nurseHub.InvokeAsync<JoinResult>("JoinConversation", c.Id, 0L, Ct);
        await patientHub.InvokeAsync<JoinResult>("JoinConversation", c.Id, 0L, Ct);

        var sent = await PostAsync(patient, c.Id, "I have a headache");

        var atNurse = await nurseEvents.WaitForAsync<MessageDto>("MessageCreated");
        var atPatient = await patientEvents.WaitForAsync<MessageDto>("MessageCreated");
        Assert.Equal(sent.Id, Assert.Single(atNurse).Id);
        Assert.Equal("I have a headache", atPatient.Single().Content);
        await Task.Delay(300, Ct);
        Assert.Single(nurseEvents.All("MessageCreated"));
        Assert.Single(patientEvents.All("MessageCreated"));
    }

    [Fact]
    public async Task AUserOfAnotherConversationNeverReceivesItsEvents()
    {
        var alice = await App.UserAsync();
        var bob = await App.UserAsync();
        var alices = await ConversationAsync(alice);
        var bobs = await ConversationAsync(bob);
        var (bobHub, bobEvents) = await ConnectAsync(bob);
        await bobHub.InvokeAsync<JoinResult>("JoinConversation", bobs.Id, 0L, Ct);

        var error = await Assert.ThrowsAsync<HubException>(() => bobHub.InvokeAsync<JoinResult>("JoinConversation", alices.Id, 0L, Ct));
        Assert.Contains("not found", error.Message, StringComparison.OrdinalIgnoreCase);

        var (aliceHub, _) = await ConnectAsync(alice);
        await aliceHub.InvokeAsync<JoinResult>("JoinConversation", alices.Id, 0L, Ct);
        await aliceHub.InvokeAsync("Typing", alices.Id, true, Ct);
        await PostAsync(alice, alices.Id, "private");
        await PostAsync(bob, bobs.Id, "mine");

        await bobEvents.WaitForAsync<MessageDto>("MessageCreated", match: m => m.ConversationId == bobs.Id);
        await Task.Delay(300, Ct);
        Assert.DoesNotContain(bobEvents.All<MessageDto>("MessageCreated"), m => m.ConversationId == alices.Id);
        Assert.Empty(bobEvents.All("TypingChanged"));
        Assert.Equal(HubConnectionState.Connected, bobHub.State);
    }

    [Fact]
    public async Task CatchUpAfterADisconnectReturnsExactlyTheFiftyMissedMessagesInOrder()
    {
        var patient = await App.UserAsync();
        var c = await ConversationAsync(patient);
        await PostAsync(patient, c.Id, "seen before the drop");
        var (hub, _) = await ConnectAsync(patient);
        var first = await hub.InvokeAsync<JoinResult>("JoinConversation", c.Id, 0L, Ct);
        var lastSeen = first.Messages.Max(m => m.Seq);
        await hub.StopAsync(Ct);

        for (var i = 0; i < 50; i++) await PostAsync(patient, c.Id, $"missed {i}");

        var (again, _) = await ConnectAsync(patient);
        var caughtUp = await again.InvokeAsync<JoinResult>("JoinConversation", c.Id, lastSeen, Ct);
        Assert.Equal(Enumerable.Range(2, 50).Select(i => (long)i), caughtUp.Messages.Select(m => m.Seq));
        Assert.Equal("missed 0", caughtUp.Messages[0].Content);
        Assert.False(caughtUp.HasMore);
        Assert.Equal(51, caughtUp.Conversation.LastMessageSeq);
    }

    [Fact]
    public async Task ConcurrentSendersProduceEveryEventOnceWithGaplessSeqs()
    {
        var patient = await App.UserAsync();
        var nurse = await App.UserAsync(Role.Staff);
        var c = await App.StartHeldConversationAsync(patient, nurse);
        var (watcher, events) = await ConnectAsync(nurse);
        await watcher.InvokeAsync<JoinResult>("JoinConversation", c.Id, 0L, Ct);
        var (patientHub, _) = await ConnectAsync(patient);
        var (nurseHub, _) = await ConnectAsync(nurse);

        var sends = Enumerable.Range(0, 20).SelectMany(i => new[]
        {
            patientHub.InvokeAsync<MessageDto>("SendMessage", c.Id, $"p{i}", $"from patient {i}", Ct),
            nurseHub.InvokeAsync<MessageDto>("SendMessage", c.Id, $"n{i}", $"from nurse {i}", Ct),
        });
        var stored = await Task.WhenAll(sends);

        var received = await events.WaitForAsync<MessageDto>("MessageCreated", 40);
        await Task.Delay(300, Ct);
        Assert.Equal(40, events.All("MessageCreated").Count);
        Assert.Equal(Enumerable.Range(1, 40).Select(i => (long)i), received.Select(m => m.Seq).Order());
        Assert.Equal(stored.Select(m => m.Id).Order(), received.Select(m => m.Id).Order());
    }

    [Fact]
    public async Task SendingTheSameClientMessageIdTwiceOverTheHubStoresAndAnnouncesItOnce()
    {
        var patient = await App.UserAsync();
        var c = await ConversationAsync(patient);
        var (hub, events) = await ConnectAsync(patient);
        await hub.InvokeAsync<JoinResult>("JoinConversation", c.Id, 0L, Ct);

        var first = await hub.InvokeAsync<MessageDto>("SendMessage", c.Id, "retry-1", "hello", Ct);
        var second = await hub.InvokeAsync<MessageDto>("SendMessage", c.Id, "retry-1", "hello again", Ct);

        Assert.Equal(first.Id, second.Id);
        Assert.Equal("hello", second.Content);
        await events.WaitForAsync<MessageDto>("MessageCreated");
        await Task.Delay(300, Ct);
        Assert.Single(events.All("MessageCreated"));
    }

    [Fact]
    public async Task ReceiptsOverTheHubAreBroadcastAndShowInMessageStatusOverRest()
    {
        var patient = await App.UserAsync();
        var nurse = await App.UserAsync(Role.Staff);
        var c = await App.StartHeldConversationAsync(patient, nurse);
        var sent = await PostAsync(patient, c.Id, "are you there?");
        var (patientHub, patientEvents) = await ConnectAsync(patient);
        await patientHub.InvokeAsync<JoinResult>("JoinConversation", c.Id, 0L, Ct);
        var (nurseHub, _) = await ConnectAsync(nurse);
        await nurseHub.InvokeAsync<JoinResult>("JoinConversation", c.Id, 0L, Ct);

        await nurseHub.InvokeAsync("MarkDelivered", c.Id, sent.Seq, Ct);
        var delivered = await patientEvents.WaitForAsync<ReceiptsChanged>("ReceiptsUpdated");
        Assert.Equal(new ReceiptsChanged(c.Id, nurse.Id, 1, 0), delivered.Single());
        var page = await App.Client(patient).GetAsync($"/api/chat/{c.Id}/messages", Ct).ReadAsync<MessagePage>(HttpStatusCode.OK);
        Assert.Equal(MessageStatus.Delivered, page.Items.Single().Status);

        await nurseHub.InvokeAsync("MarkRead", c.Id, sent.Seq, Ct);
        await patientEvents.WaitForAsync<ReceiptsChanged>("ReceiptsUpdated", 2);
        page = await App.Client(patient).GetAsync($"/api/chat/{c.Id}/messages", Ct).ReadAsync<MessagePage>(HttpStatusCode.OK);
        Assert.Equal(MessageStatus.Read, page.Items.Single().Status);
    }

    [Fact]
    public async Task StaffWhoLoseAQueuedConversationToAnotherClaimStopReceivingItsEvents()
    {
        var patient = await App.UserAsync();
        var sam = await App.UserAsync(Role.Staff);
        var alex = await App.UserAsync(Role.Staff);
        var c = await ConversationAsync(patient);
        await App.Client(patient).PatchAsJsonAsync($"/api/chat/{c.Id}/status", new { status = "awaiting_staff" }, Ct);
        var (samHub, samEvents) = await ConnectAsync(sam);
        await samHub.InvokeAsync<JoinResult>("JoinConversation", c.Id, 0L, Ct);

        await App.Client(alex).PostAsync($"/api/chat/{c.Id}/claim", null, Ct);
        await samEvents.WaitForAsync<ConversationDto>("ConversationUpdated", match: u => u.AssignedStaffId == alex.Id);
        await Task.Delay(300, Ct);
        await PostAsync(patient, c.Id, "only for Alex now");

        await Task.Delay(500, Ct);
        Assert.Empty(samEvents.All("MessageCreated"));
        await Assert.ThrowsAsync<HubException>(() => samHub.InvokeAsync<JoinResult>("JoinConversation", c.Id, 0L, Ct));
    }

    [Fact]
    public async Task BadHubArgumentsFailWithAHubExceptionAndKeepTheConnectionOpen()
    {
        var patient = await App.UserAsync();
        var c = await ConversationAsync(patient);
        var (hub, _) = await ConnectAsync(patient);

        var notUuid = await Assert.ThrowsAsync<HubException>(() => hub.InvokeAsync<JoinResult>("JoinConversation", "not-a-uuid", 0L, Ct));
        Assert.False(string.IsNullOrWhiteSpace(notUuid.Message));
        var negative = await Assert.ThrowsAsync<HubException>(() => hub.InvokeAsync<JoinResult>("JoinConversation", c.Id, -1L, Ct));
        Assert.Contains("afterSeq", negative.Message, StringComparison.Ordinal);
        var empty = await Assert.ThrowsAsync<HubException>(() => hub.InvokeAsync<MessageDto>("SendMessage", c.Id, "x", "   ", Ct));
        Assert.Contains("content", empty.Message, StringComparison.Ordinal);

        Assert.Equal(HubConnectionState.Connected, hub.State);
        var joined = await hub.InvokeAsync<JoinResult>("JoinConversation", c.Id, 0L, Ct);
        Assert.Equal(c.Id, joined.Conversation.Id);
    }

    [Fact]
    public async Task AConnectionEndsWhenItsTokenExpires()
    {
        var patient = await App.UserAsync();
        var hub = App.Hub(App.Token(patient.Id, lifetime: TimeSpan.FromSeconds(2)));
        _hubs.Add(hub);
        var closed = new TaskCompletionSource();
        hub.Closed += _ =>
        {
            closed.TrySetResult();
            return Task.CompletedTask;
        };
        await hub.StartReadyAsync(Ct);

        // The token is valid for 2 s plus the 30 s clock skew tolerance of bearer validation is not
        // applied to the connection lifetime: the connection closes at the token's exp.
        var finished = await Task.WhenAny(closed.Task, Task.Delay(TimeSpan.FromSeconds(15), Ct));
        Assert.Same(closed.Task, finished);
    }

    [Fact]
    public async Task AMessageLargerThanThirtyTwoKilobytesIsRefused()
    {
        var patient = await App.UserAsync();
        var c = await ConversationAsync(patient);
        var (hub, _) = await ConnectAsync(patient);

        await Assert.ThrowsAnyAsync<Exception>(() => hub.InvokeAsync<MessageDto>("SendMessage", c.Id, "big", new string('x', 40 * 1024), Ct));

        var page = await App.Client(patient).GetAsync($"/api/chat/{c.Id}/messages", Ct).ReadAsync<MessagePage>(HttpStatusCode.OK);
        Assert.Empty(page.Items);
    }
}
