namespace MedChat.Tests.Messages;

/// <summary>A conversation the caller may not see is 404 on every message route, and nothing is stored.</summary>
public sealed class MessageAccessTests(MedChatApp app) : ApiTest(app)
{
    public static TheoryData<string> Routes => new() { "list", "send", "receipts", "mark" };

    [Theory]
    [MemberData(nameof(Routes))]
    public async Task AnotherPatientsConversationIsNotFound(string route)
    {
        var (owner, c) = await ConversationWithOneMessage();
        var stranger = await App.UserAsync();
        var before = await App.Client(owner).ConversationAsync(c);

        await Call(App.Client(stranger), route, c).ProblemAsync(HttpStatusCode.NotFound);

        await AssertUntouched(owner, before);
    }

    [Theory]
    [MemberData(nameof(Routes))]
    public async Task StaffCannotReachAConversationNeitherTheirsNorQueued(string route)
    {
        var (owner, c) = await ConversationWithOneMessage();
        var staff = await App.UserAsync(Role.Staff);
        var before = await App.Client(owner).ConversationAsync(c);

        await Call(App.Client(staff), route, c).ProblemAsync(HttpStatusCode.NotFound);

        await AssertUntouched(owner, before);
    }

    [Theory]
    [MemberData(nameof(Routes))]
    public async Task StaffCannotReachAConversationAnotherStaffMemberHolds(string route)
    {
        var patient = await App.UserAsync();
        var holder = await App.UserAsync(Role.Staff);
        var other = await App.UserAsync(Role.Staff);
        var c = await App.StartHeldConversationAsync(patient, holder);
        await App.Client(patient).PostAsync(c.Id, "for my nurse only");
        var before = await App.Client(patient).ConversationAsync(c.Id);

        await Call(App.Client(other), route, c.Id).ProblemAsync(HttpStatusCode.NotFound);

        await AssertUntouched(patient, before);
    }

    [Theory]
    [MemberData(nameof(Routes))]
    public async Task AConversationThatDoesNotExistIsNotFound(string route)
    {
        var patient = await App.UserAsync();

        await Call(App.Client(patient), route, Guid.CreateVersion7()).ProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task AnotherPatientsConversationLooksExactlyLikeOneThatDoesNotExist()
    {
        var (_, c) = await ConversationWithOneMessage();
        var stranger = App.Client(await App.UserAsync());
        var missing = Guid.CreateVersion7();

        var hidden = await Call(stranger, "send", c).ProblemAsync(HttpStatusCode.NotFound);
        var absent = await Call(stranger, "send", missing).ProblemAsync(HttpStatusCode.NotFound);

        Assert.Equal(absent.GetProperty("title").GetString(), hidden.GetProperty("title").GetString());
        Assert.Equal(absent.GetProperty("detail").GetString()!.Replace(missing.ToString(), "{id}", StringComparison.Ordinal),
            hidden.GetProperty("detail").GetString()!.Replace(c.ToString(), "{id}", StringComparison.Ordinal));
    }

    [Fact]
    public async Task StaffCanReadAQueuedConversationBeforeClaimingIt()
    {
        var patient = await App.UserAsync();
        var staff = await App.UserAsync(Role.Staff);
        var c = await App.StartConversationAsync(patient);
        await App.Client(patient).PatchAsJsonAsync($"/api/chat/{c.Id}/status", new { status = "awaiting_staff" }, HttpAssertions.JsonOptions, Ct)
            .ReadAsync<ConversationDto>(HttpStatusCode.OK);
        await App.Client(patient).PostAsync(c.Id, "anyone there?");

        var page = await App.Client(staff).MessagesAsync(c.Id);

        Assert.Equal("anyone there?", Assert.Single(page.Items).Content);
    }

    private async Task<(TestUser Owner, Guid Conversation)> ConversationWithOneMessage()
    {
        var owner = await App.UserAsync();
        var c = await App.StartConversationAsync(owner);
        await App.Client(owner).PostAsync(c.Id, "private");
        return (owner, c.Id);
    }

    private static Task<HttpResponseMessage> Call(HttpClient client, string route, Guid conversationId) => route switch
    {
        "list" => client.GetAsync($"/api/chat/{conversationId}/messages", Ct),
        "send" => client.SendAsync(conversationId, "let me in", "cm-intruder"),
        "receipts" => client.GetAsync($"/api/chat/{conversationId}/receipts", Ct),
        "mark" => client.MarkAsync(conversationId, new { deliveredSeq = 1, readSeq = 1 }),
        _ => throw new ArgumentOutOfRangeException(nameof(route)),
    };

    /// <summary>The conversation is as it was, with its one message and no receipts.</summary>
    private async Task AssertUntouched(TestUser owner, ConversationDto before)
    {
        Assert.Equal(before, await App.Client(owner).ConversationAsync(before.Id));
        Assert.Equal(1, await App.StoredMessagesAsync(before.Id));
        Assert.Equal(0, await App.StoredReceiptsAsync(before.Id));
    }
}
