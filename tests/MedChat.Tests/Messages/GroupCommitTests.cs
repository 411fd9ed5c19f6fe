using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace MedChat.Tests.Messages;

/// <summary>One send writer, so a test can hold it and make the sends behind it share one batch.</summary>
public sealed class OneWriterApp : MedChatApp
{
    protected override void Configure(IWebHostBuilder builder) => builder.UseSetting("Messages:SendWriters", "1");
}

/// <summary>
/// Group commit: sends that wait together are stored in one transaction, yet each is its own
/// caller under row-level security, gets its own answer, and fails alone.
/// </summary>
public sealed class GroupCommitTests(OneWriterApp app) : IClassFixture<OneWriterApp>, IAsyncLifetime
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => await app.ResetAsync();

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    [Fact]
    public async Task APatientInTheSameBatchCannotWriteToAnotherPatientsConversation()
    {
        var (alice, bob) = (await app.UserAsync(), await app.UserAsync());
        var (aliceChat, bobChat) = (await app.StartConversationAsync(alice), await app.StartConversationAsync(bob));

        var r = await InOneBatchAsync(
            () => app.Client(alice).SendAsync(aliceChat.Id, "alice's own words"),
            () => app.Client(bob).SendAsync(aliceChat.Id, "bob writing into alice's chat"),
            () => app.Client(bob).SendAsync(bobChat.Id, "bob's own words"));

        var aliceMessage = await r[0].ReadAsync<MessageDto>(HttpStatusCode.Created);
        var refused = await r[1].ProblemAsync(HttpStatusCode.NotFound);
        Assert.DoesNotContain("alice", refused.GetRawText(), StringComparison.OrdinalIgnoreCase);
        var bobMessage = await r[2].ReadAsync<MessageDto>(HttpStatusCode.Created);

        Assert.Equal((alice.Id, 1L), (aliceMessage.SenderId!.Value, aliceMessage.Seq));
        Assert.Equal((bob.Id, 1L), (bobMessage.SenderId!.Value, bobMessage.Seq));
        Assert.Equal(["alice's own words"], (await app.Client(alice).MessagesAsync(aliceChat.Id)).Items.Select(m => m.Content));
        Assert.Equal(["bob's own words"], (await app.Client(bob).MessagesAsync(bobChat.Id)).Items.Select(m => m.Content));
        await app.Client(bob).GetAsync($"/api/chat/{aliceChat.Id}/messages", Ct).ProblemAsync(HttpStatusCode.NotFound);
        // Each write is audited as its own caller, though one transaction stored both.
        Assert.Equal(alice.Id, await app.ScalarAsOwnerAsync<Guid>(
            "SELECT actor_id FROM audit_log WHERE action = 'message.create' AND conversation_id = $1", aliceChat.Id));
        Assert.Equal(bob.Id, await app.ScalarAsOwnerAsync<Guid>(
            "SELECT actor_id FROM audit_log WHERE action = 'message.create' AND conversation_id = $1", bobChat.Id));
        Assert.Equal(1, await TransactionsAsync(aliceChat.Id, bobChat.Id));
    }

    [Fact]
    public async Task BadSendsInABatchGetTheirOwnErrorsAndTheOthersAreStored()
    {
        var (alice, bob, carol) = (await app.UserAsync(), await app.UserAsync(), await app.UserAsync());
        var (aliceChat, bobChat, carolChat) = (await app.StartConversationAsync(alice), await app.StartConversationAsync(bob), await app.StartConversationAsync(carol));
        await app.ExecuteAsOwnerAsync("UPDATE conversations SET status = 'archived' WHERE id = $1", carolChat.Id);
        // An error the send function does not expect (here a constraint only this test adds) rolls
        // back the whole batch; the batch's other sends must still be stored.
        await app.ExecuteAsOwnerAsync("ALTER TABLE messages ADD CONSTRAINT test_no_poison CHECK (content <> 'poison')");
        try
        {
            var r = await InOneBatchAsync(
                () => app.Client(alice).SendAsync(aliceChat.Id, "fine"),
                () => app.Client(bob).SendAsync(bobChat.Id, "poison"),
                () => app.Client(carol).SendAsync(carolChat.Id, "into the archive"),
                () => app.Client(alice).SendAsync(Guid.NewGuid(), "nowhere"),
                () => app.Client(bob).SendAsync(bobChat.Id, "also fine"));

            Assert.Equal(1, (await r[0].ReadAsync<MessageDto>(HttpStatusCode.Created)).Seq);
            // The API's answer to any database error: 503, nothing stored, retry with the same clientMessageId.
            await r[1].ProblemAsync(HttpStatusCode.ServiceUnavailable);
            await r[2].ProblemAsync(HttpStatusCode.Conflict);
            await r[3].ProblemAsync(HttpStatusCode.NotFound);
            Assert.Equal(1, (await r[4].ReadAsync<MessageDto>(HttpStatusCode.Created)).Seq);
        }
        finally
        {
            await app.ExecuteAsOwnerAsync("ALTER TABLE messages DROP CONSTRAINT test_no_poison");
        }
        Assert.Equal(["fine"], (await app.Client(alice).MessagesAsync(aliceChat.Id)).Items.Select(m => m.Content));
        Assert.Equal(["also fine"], (await app.Client(bob).MessagesAsync(bobChat.Id)).Items.Select(m => m.Content));
        Assert.Equal(0, await app.StoredMessagesAsync(carolChat.Id));
        Assert.Equal(1, (await app.Client(bob).ConversationAsync(bobChat.Id)).LastMessageSeq);
    }

    [Fact]
    public async Task ARetryInTheSameBatchIsStoredOnce()
    {
        var alice = await app.UserAsync();
        var chat = await app.StartConversationAsync(alice);

        var r = await InOneBatchAsync(
            () => app.Client(alice).SendAsync(chat.Id, "are you there?", "cm-1"),
            () => app.Client(alice).SendAsync(chat.Id, "are you there?", "cm-1"),
            () => app.Client(alice).SendAsync(chat.Id, "hello?", "cm-2"));

        var first = await r[0].ReadAsync<MessageDto>(HttpStatusCode.Created);
        Assert.Equal(first, await r[1].ReadAsync<MessageDto>(HttpStatusCode.OK));
        Assert.Equal(2, (await r[2].ReadAsync<MessageDto>(HttpStatusCode.Created)).Seq);
        Assert.Equal([(1L, "are you there?"), (2L, "hello?")], (await app.Client(alice).MessagesAsync(chat.Id)).Items.Select(m => (m.Seq, m.Content)));
        Assert.Equal(1, await TransactionsAsync(chat.Id));
    }

    [Fact]
    public async Task ASendToAnIdleServerIsNotHeldBack()
    {
        var alice = await app.UserAsync();
        var chat = await app.StartConversationAsync(alice);
        var client = app.Client(alice);
        await client.PostAsync(chat.Id, "warm up");

        // Alone, a send goes at once: it does not wait for company (no timer in the batcher).
        var watch = System.Diagnostics.Stopwatch.StartNew();
        for (var i = 0; i < 20; i++) await client.PostAsync(chat.Id, $"message {i}");
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(10), $"20 sends one after another took {watch.Elapsed}");
        Assert.Equal(21, await TransactionsAsync(chat.Id));
    }

    /// <summary>
    /// Holds the one writer on a row lock, starts the sends (in this order) while it is held, waits
    /// until all are queued behind it, then lets it go: the writer takes them as one batch.
    /// </summary>
    private async Task<HttpResponseMessage[]> InOneBatchAsync(params Func<Task<HttpResponseMessage>>[] sends)
    {
        var holder = await app.UserAsync();
        var held = await app.StartConversationAsync(holder);
        var batcher = app.Services.GetRequiredService<SendBatcher>();

        await using var conn = new NpgsqlConnection(app.OwnerConnection);
        await conn.OpenAsync(Ct);
        await using var tx = await conn.BeginTransactionAsync(Ct);
        await using (var lockRow = new NpgsqlCommand("SELECT 1 FROM conversations WHERE id = $1 FOR UPDATE", conn, tx) { Parameters = { new() { Value = held.Id } } })
            await lockRow.ExecuteNonQueryAsync(Ct);

        var blocked = app.Client(holder).SendAsync(held.Id, "holds the writer");
        await UntilAsync(async () => await app.ScalarAsOwnerAsync<long>(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'") == 1);
        var responses = new List<Task<HttpResponseMessage>>();
        foreach (var send in sends)
        {
            // One at a time into the queue, so the batch keeps the order the test wrote.
            var queued = batcher.Queued;
            responses.Add(send());
            await UntilAsync(() => Task.FromResult(batcher.Queued == queued + 1));
        }
        await tx.CommitAsync(Ct);

        await blocked.ReadAsync<MessageDto>(HttpStatusCode.Created);
        return await Task.WhenAll(responses);
    }

    private static async Task UntilAsync(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "timed out waiting for the sends to queue");
            await Task.Delay(10, Ct);
        }
    }

    /// <summary>How many transactions stored the messages of these conversations (xmin is the inserting transaction).</summary>
    private async Task<long> TransactionsAsync(params Guid[] conversations) =>
        await app.ScalarAsOwnerAsync<long>("SELECT count(DISTINCT xmin::text) FROM messages WHERE conversation_id = ANY($1)", conversations);
}

/// <summary>Many patients sending at once, through the default writers: every send stored once, seq without gaps.</summary>
public sealed class ManySendersTests(MedChatApp app) : ApiTest(app)
{
    [Fact]
    public async Task FortyPatientsSendingTenMessagesEachTwiceOverAreStoredOnceWithGaplessSeqs()
    {
        var patients = new List<(TestUser User, ConversationDto Chat)>();
        for (var i = 0; i < 40; i++)
        {
            var p = await App.UserAsync();
            patients.Add((p, await App.StartConversationAsync(p)));
        }

        var clients = patients.ToDictionary(p => p.User.Id, p => App.Client(p.User));
        // Every message is sent twice at once with the same clientMessageId (a client retrying a
        // send it thinks was lost), 800 requests in flight together.
        var sends = patients.SelectMany(p => Enumerable.Range(0, 10).SelectMany(i => Enumerable.Range(0, 2).Select(async _ =>
        {
            var response = await clients[p.User.Id].SendAsync(p.Chat.Id, $"message {i}", $"cm-{i}");
            Assert.True(response.StatusCode is HttpStatusCode.Created or HttpStatusCode.OK, $"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
            return (p.Chat.Id, Created: response.StatusCode == HttpStatusCode.Created, Message: (await response.Content.ReadFromJsonAsync<MessageDto>(HttpAssertions.JsonOptions))!);
        }))).ToList();
        var results = await Task.WhenAll(sends);

        Assert.Equal(400, results.Count(r => r.Created));
        foreach (var (user, chat) in patients)
        {
            var mine = results.Where(r => r.Id == chat.Id).ToList();
            // Both copies of a message were answered with the one stored message.
            Assert.All(mine.GroupBy(r => r.Message.ClientMessageId), g => Assert.Single(g.Select(r => r.Message.Id).Distinct()));
            var stored = await App.Client(user).MessagesAsync(chat.Id, "?limit=100");
            Assert.Equal(Enumerable.Range(1, 10).Select(i => (long)i), stored.Items.Select(m => m.Seq));
            Assert.Equal(Enumerable.Range(0, 10).Select(i => $"message {i}").Order(), stored.Items.Select(m => m.Content).Order());
            Assert.Equal(10, (await App.Client(user).ConversationAsync(chat.Id)).LastMessageSeq);
        }
        Assert.Equal(400, await App.ScalarAsOwnerAsync<long>("SELECT count(*) FROM messages"));
        Assert.Equal(400, await App.ScalarAsOwnerAsync<long>("SELECT count(*) FROM audit_log WHERE action = 'message.create'"));
    }
}
