namespace MedChat.Tests.Operations;

/// <summary>
/// A database restored without the runtime role's grants (pg_restore --no-acl, or into a cluster
/// where the role never existed) has every migration applied; start-up must put the role and its
/// grants back, or every request fails.
/// </summary>
public sealed class RestoredDatabaseTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ARestartRestoresTheRuntimeRolesGrants()
    {
        var database = await TestCluster.Instance.CreateDatabaseAsync();
        await using (var first = new MedChatApp { ExistingDatabase = database })
        {
            await first.InitializeAsync();
            var patient = await first.UserAsync();
            await first.Client(patient).GetAsync("/api/me", Ct).ReadAsync<MeDto>(HttpStatusCode.OK);
            // What a restore without privileges leaves behind.
            await first.ExecuteAsOwnerAsync("""
                REVOKE ALL ON ALL TABLES IN SCHEMA public FROM medchat_app;
                REVOKE ALL ON ALL FUNCTIONS IN SCHEMA public FROM medchat_app;
                REVOKE USAGE ON SCHEMA public FROM medchat_app;
                """);
            using var broken = await first.Client(patient).GetAsync("/api/me", Ct);
            Assert.True((int)broken.StatusCode >= 500, $"without grants the API should fail, got {broken.StatusCode}");
        }

        await using var restarted = new MedChatApp { ExistingDatabase = database };
        await restarted.InitializeAsync();
        var someone = await restarted.UserAsync();
        await restarted.Client(someone).GetAsync("/api/me", Ct).ReadAsync<MeDto>(HttpStatusCode.OK);
        var c = await restarted.Client(someone).PostJsonAsync("/api/chat/conversations", new { }).ReadAsync<ConversationDto>(HttpStatusCode.Created);
        await restarted.Client(someone).PostJsonAsync($"/api/chat/{c.Id}/messages", new { content = "still works", clientMessageId = "r1" })
            .ReadAsync<MessageDto>(HttpStatusCode.Created);
    }
}
