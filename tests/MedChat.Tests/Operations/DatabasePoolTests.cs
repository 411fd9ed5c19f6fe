using Microsoft.AspNetCore.Hosting;
using MedChat.Tests.Messages;
using Npgsql;

namespace MedChat.Tests.Operations;

/// <summary>
/// Database:PoolSize caps the runtime role's connections per node. Requests beyond it wait for a
/// connection instead of failing; a pool the send writers would fill is refused at start-up.
/// </summary>
public sealed class DatabasePoolTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private sealed class PoolApp(int size) : MedChatApp
    {
        protected override void Configure(IWebHostBuilder builder) =>
            builder.UseSetting("Database:PoolSize", size.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task APoolTheSendWritersWouldFillStopsStartUpAndSaysWhy()
    {
        await using var app = new PoolApp(6);
        var e = await Assert.ThrowsAnyAsync<Exception>(async () => await app.InitializeAsync());
        Assert.Contains("Database:PoolSize (6) must leave at least 4 connections beside the 4 send writers", e.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ManyRequestsAtOnceShareASmallPoolAndAllSucceed()
    {
        await using var app = new PoolApp(8);
        await app.InitializeAsync();
        var patient = await app.UserAsync();
        var chat = await app.StartConversationAsync(patient);
        await app.Client(patient).SendAsync(chat.Id, "hello");

        // 60 reads at once, each its own transaction, against 8 connections (4 of them the send writers').
        var responses = await Task.WhenAll(Enumerable.Range(0, 60).Select(_ => app.Client(patient).GetAsync($"/api/chat/{chat.Id}/messages", Ct)));
        Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));

        var database = new NpgsqlConnectionStringBuilder(app.OwnerConnection).Database;
        Assert.InRange(await app.ScalarAsOwnerAsync<long>(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = $1 AND usename = 'medchat_app'", database!), 1, 8);
    }
}
