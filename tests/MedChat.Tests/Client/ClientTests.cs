using System.Collections.Concurrent;
using MedChat.Client;
using ClientStatus = MedChat.Client.ConversationStatus;
using Role = MedChat.Api.Identity.Role;

namespace MedChat.Tests.Client;

public sealed class ClientTests(MedChatApp app) : ApiTest(app)
{
    private MedChatClient Rest(TestUser user) => new(new HttpClient { BaseAddress = App.BaseAddress }, user.Token);

    private MedChatRealtime Realtime(TestUser user) => new(App.BaseAddress, () => Task.FromResult<string?>(user.Token));

    [Fact]
    public async Task TheTypedClientCoversAConversationFromStartToResolution()
    {
        var patient = await App.UserAsync();
        var nurse = await App.UserAsync(Role.Staff);
        var p = Rest(patient);
        var n = Rest(nurse);

        var c = await p.CreateConversationAsync("Rash", ct: Ct);
        await p.ChangeStatusAsync(c.Id, ClientStatus.AwaitingStaff, ct: Ct);
        var queue = await n.ListConversationsAsync("queue", ct: Ct);
        Assert.Contains(queue.Items, x => x.Id == c.Id);
        var claimed = await n.ClaimAsync(c.Id, ct: Ct);
        Assert.Equal(nurse.Id, claimed.AssignedStaffId);

        var sent = await p.SendMessageAsync(c.Id, "It itches", "cm-1", ct: Ct);
        var again = await p.SendMessageAsync(c.Id, "It itches", "cm-1", ct: Ct);
        Assert.Equal(sent.Id, again.Id);
        await n.MarkAsync(c.Id, readSeq: sent.Seq, ct: Ct);
        var page = await p.ListMessagesAsync(c.Id, ct: Ct);
        Assert.Equal(MedChat.Client.MessageStatus.Read, page.Items.Single().Status);

        var error = await Assert.ThrowsAsync<MedChatApiException>(() => p.SendMessageAsync(c.Id, " ", "cm-2", ct: Ct));
        Assert.Equal(400, error.Status);
        Assert.True(error.Errors.ContainsKey("content"));
        var resolved = await n.ChangeStatusAsync(c.Id, ClientStatus.Resolved, ct: Ct);
        Assert.Equal(ClientStatus.Resolved, resolved.Status);
    }

    [Fact]
    public async Task AfterTheNetworkDropsTheClientReconnectsAndDeliversEveryMissedMessageOnceInOrder()
    {
        var patient = await App.UserAsync();
        var nurse = await App.UserAsync(Role.Staff);
        var c = await Rest(patient).CreateConversationAsync(ct: Ct);
        await Rest(patient).ChangeStatusAsync(c.Id, ClientStatus.AwaitingStaff, ct: Ct);
        await Rest(nurse).ClaimAsync(c.Id, ct: Ct);

        await using var proxy = new TcpProxy(App.BaseAddress);
        await using var client = new MedChatRealtime(proxy.Address, () => Task.FromResult<string?>(patient.Token));
        var delivered = new ConcurrentQueue<long>();
        var reconnected = new TaskCompletionSource();
        client.MessageReceived += m => delivered.Enqueue(m.Seq);
        client.Reconnected += () => reconnected.TrySetResult();
        await client.StartAsync(Ct);
        for (var i = 0; i < 5; i++) await Rest(nurse).SendMessageAsync(c.Id, $"before {i}", ct: Ct);
        await client.JoinAsync(c.Id, 0, Ct);

        // Cut the patient's connection, then keep talking while they are away.
        proxy.DropAll();
        for (var i = 0; i < 20; i++) await Rest(nurse).SendMessageAsync(c.Id, $"while away {i}", ct: Ct);
        await reconnected.Task.WaitAsync(TimeSpan.FromSeconds(30), Ct);
        for (var i = 0; i < 5; i++) await Rest(nurse).SendMessageAsync(c.Id, $"after {i}", ct: Ct);

        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (delivered.Count < 30 && DateTime.UtcNow < deadline) await Task.Delay(50, Ct);
        await Task.Delay(300, Ct);
        Assert.Equal(Enumerable.Range(1, 30).Select(i => (long)i), delivered);
        Assert.Equal(30, client.LastSeq(c.Id));
    }

    [Fact]
    public async Task HubSendsThroughTheClientAreIdempotentAndSeenByTheOtherSide()
    {
        var patient = await App.UserAsync();
        var nurse = await App.UserAsync(Role.Staff);
        var c = await Rest(patient).CreateConversationAsync(ct: Ct);
        await Rest(patient).ChangeStatusAsync(c.Id, ClientStatus.AwaitingStaff, ct: Ct);
        await Rest(nurse).ClaimAsync(c.Id, ct: Ct);
        await using var p = Realtime(patient);
        await using var n = Realtime(nurse);
        var atNurse = new ConcurrentQueue<MedChat.Client.Message>();
        n.MessageReceived += atNurse.Enqueue;
        await p.StartAsync(Ct);
        await n.StartAsync(Ct);
        await p.JoinAsync(c.Id, 0, Ct);
        await n.JoinAsync(c.Id, 0, Ct);

        var first = await p.SendAsync(c.Id, "hello", "same-id", Ct);
        var second = await p.SendAsync(c.Id, "hello", "same-id", Ct);

        Assert.Equal(first.Id, second.Id);
        var deadline = DateTime.UtcNow.AddSeconds(5);
        while (atNurse.IsEmpty && DateTime.UtcNow < deadline) await Task.Delay(50, Ct);
        await Task.Delay(300, Ct);
        Assert.Equal(first.Id, Assert.Single(atNurse).Id);
    }
}
