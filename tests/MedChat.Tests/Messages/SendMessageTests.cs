using System.Text.Json;

namespace MedChat.Tests.Messages;

public sealed class SendMessageTests(MedChatApp app) : ApiTest(app)
{
    [Fact]
    public async Task MessagesAreNumberedOneTwoThreeInTheOrderTheyAreStored()
    {
        var patient = await App.UserAsync();
        var c = await App.StartConversationAsync(patient);
        var client = App.Client(patient);

        var seqs = new List<long>();
        for (var i = 0; i < 3; i++) seqs.Add((await client.PostAsync(c.Id, $"message {i}")).Seq);

        Assert.Equal([1, 2, 3], seqs);
        var after = await client.ConversationAsync(c.Id);
        Assert.Equal(3, after.LastMessageSeq);
        Assert.NotNull(after.LastMessageAt);
    }

    [Fact]
    public async Task ASentMessageCarriesTheContractsFieldsAndComesBackAs201()
    {
        var patient = await App.UserAsync();
        var c = await App.StartConversationAsync(patient);

        var response = await App.Client(patient).SendAsync(c.Id, "Hello there", "cm-1");
        var json = await response.ReadAsync<JsonElement>(HttpStatusCode.Created);

        Assert.Equal(
            ["clientMessageId", "content", "conversationId", "createdAt", "id", "metadata", "senderId", "senderRole", "seq", "status"],
            json.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));
        Assert.Equal(7, Guid.Parse(json.GetProperty("id").GetString()!).Version);
        Assert.Equal(c.Id, json.GetProperty("conversationId").GetGuid());
        Assert.Equal(1, json.GetProperty("seq").GetInt64());
        Assert.Equal(patient.Id, json.GetProperty("senderId").GetGuid());
        Assert.Equal("patient", json.GetProperty("senderRole").GetString());
        Assert.Equal("Hello there", json.GetProperty("content").GetString());
        Assert.Equal("cm-1", json.GetProperty("clientMessageId").GetString());
        Assert.Equal("sent", json.GetProperty("status").GetString());
        Assert.Equal(JsonValueKind.Null, json.GetProperty("metadata").ValueKind);
        Assert.EndsWith("Z", json.GetProperty("createdAt").GetString());
    }

    [Fact]
    public async Task StaffAndAdminMessagesAreSentAsStaff()
    {
        var patient = await App.UserAsync();
        var staff = await App.UserAsync(Role.Staff);
        var admin = await App.UserAsync(Role.Admin);
        var c = await App.StartHeldConversationAsync(patient, staff);

        var fromPatient = await App.Client(patient).PostAsync(c.Id, "I have a question");
        var fromStaff = await App.Client(staff).PostAsync(c.Id, "Go ahead");
        var fromAdmin = await App.Client(admin).PostAsync(c.Id, "Admin here");

        Assert.Equal((SenderRole.Patient, patient.Id), (fromPatient.SenderRole, fromPatient.SenderId));
        Assert.Equal((SenderRole.Staff, staff.Id), (fromStaff.SenderRole, fromStaff.SenderId));
        Assert.Equal((SenderRole.Staff, admin.Id), (fromAdmin.SenderRole, fromAdmin.SenderId));
    }

    [Fact]
    public async Task FieldsTheServerOwnsAreIgnoredInTheBody()
    {
        var patient = await App.UserAsync();
        var other = await App.UserAsync();
        var c = await App.StartConversationAsync(patient);
        var forgedId = Guid.CreateVersion7();

        var response = await App.Client(patient).PostJsonAsync($"/api/chat/{c.Id}/messages", new
        {
            content = "Only this",
            clientMessageId = "cm-mass",
            id = forgedId,
            conversationId = Guid.NewGuid(),
            seq = 999,
            senderId = other.Id,
            senderRole = "assistant",
            status = "read",
            createdAt = "2001-01-01T00:00:00Z",
            metadata = new { ai = new { provider = "forged" } },
        });
        var message = await response.ReadAsync<MessageDto>(HttpStatusCode.Created);

        Assert.NotEqual(forgedId, message.Id);
        Assert.Equal(c.Id, message.ConversationId);
        Assert.Equal(1, message.Seq);
        Assert.Equal(patient.Id, message.SenderId);
        Assert.Equal(SenderRole.Patient, message.SenderRole);
        Assert.Equal(MessageStatus.Sent, message.Status);
        Assert.Null(message.Metadata);
        Assert.True(message.CreatedAt > new DateTime(2020, 1, 1, 0, 0, 0, DateTimeKind.Utc));
        var stored = Assert.Single((await App.Client(patient).MessagesAsync(c.Id)).Items);
        Assert.Equal(message, stored);
    }

    [Fact]
    public async Task ContentIsStoredTrimmed()
    {
        var patient = await App.UserAsync();
        var c = await App.StartConversationAsync(patient);

        var message = await App.Client(patient).PostAsync(c.Id, "  \n\t My knee hurts \r\n ");

        Assert.Equal("My knee hurts", message.Content);
        Assert.Equal("My knee hurts", Assert.Single((await App.Client(patient).MessagesAsync(c.Id)).Items).Content);
    }

    [Fact]
    public async Task FourThousandCharactersAreAcceptedEvenWithSurroundingWhitespace()
    {
        var patient = await App.UserAsync();
        var c = await App.StartConversationAsync(patient);
        var text = new string('a', 4000);

        var message = await App.Client(patient).PostAsync(c.Id, "   " + text + "\n\n");

        Assert.Equal(text, message.Content);
    }

    public static TheoryData<string, string> BadContent => new()
    {
        { "", "empty" },
        { "   \n\t  ", "whitespace only" },
        { new string('a', 4001), "4001 characters" },
        { "before\u0000after", "a NUL character" },
    };

    [Theory]
    [MemberData(nameof(BadContent))]
    public async Task ContentOutsideItsRulesIsRejectedAndNothingIsStored(string content, string why)
    {
        var patient = await App.UserAsync();
        var c = await App.StartConversationAsync(patient);
        var client = App.Client(patient);
        await client.PostAsync(c.Id, "first");

        var problem = await client.SendAsync(c.Id, content).ProblemAsync(HttpStatusCode.BadRequest, "content");

        Assert.False(problem.GetProperty("errors").TryGetProperty("clientMessageId", out _), why);
        Assert.Equal(1, (await client.ConversationAsync(c.Id)).LastMessageSeq);
        Assert.Equal(1, await App.StoredMessagesAsync(c.Id));
    }

    [Fact]
    public async Task MissingContentIsRejected()
    {
        var patient = await App.UserAsync();
        var c = await App.StartConversationAsync(patient);

        await App.Client(patient).PostJsonAsync($"/api/chat/{c.Id}/messages", new { clientMessageId = "cm-1" })
            .ProblemAsync(HttpStatusCode.BadRequest, "content");

        Assert.Equal(0, await App.StoredMessagesAsync(c.Id));
    }

    public static TheoryData<string?> BadClientMessageIds => new(["", "   ", new string('x', 65), null]);

    [Theory]
    [MemberData(nameof(BadClientMessageIds))]
    public async Task ClientMessageIdOutsideOneToSixtyFourCharactersIsRejectedAndNothingIsStored(string? clientMessageId)
    {
        var patient = await App.UserAsync();
        var c = await App.StartConversationAsync(patient);
        var client = App.Client(patient);

        var problem = await client.PostJsonAsync($"/api/chat/{c.Id}/messages", new { content = "hello", clientMessageId })
            .ProblemAsync(HttpStatusCode.BadRequest, "clientMessageId");

        Assert.False(problem.GetProperty("errors").TryGetProperty("content", out _));
        Assert.Equal(0, (await client.ConversationAsync(c.Id)).LastMessageSeq);
        Assert.Equal(0, await App.StoredMessagesAsync(c.Id));
    }

    [Fact]
    public async Task ClientMessageIdOfSixtyFourCharactersIsAccepted()
    {
        var patient = await App.UserAsync();
        var c = await App.StartConversationAsync(patient);
        var id = new string('x', 64);

        var message = await App.Client(patient).PostAsync(c.Id, "hello", id);

        Assert.Equal(id, message.ClientMessageId);
    }

    [Fact]
    public async Task EveryBadFieldIsNamedInOneResponse()
    {
        var patient = await App.UserAsync();
        var c = await App.StartConversationAsync(patient);

        var problem = await App.Client(patient).PostJsonAsync($"/api/chat/{c.Id}/messages", new { content = " ", clientMessageId = "" })
            .ProblemAsync(HttpStatusCode.BadRequest, "content");

        problem.AssertErrorFor("clientMessageId");
    }

    [Fact]
    public async Task PostingToAResolvedConversationReopensIt()
    {
        var patient = await App.UserAsync();
        var c = await App.StartConversationAsync(patient);
        var client = App.Client(patient);
        await client.PatchAsJsonAsync($"/api/chat/{c.Id}/status", new { status = "resolved" }, HttpAssertions.JsonOptions, Ct)
            .ReadAsync<ConversationDto>(HttpStatusCode.OK);

        await client.PostAsync(c.Id, "One more thing");

        var after = await client.ConversationAsync(c.Id);
        Assert.Equal(ConversationStatus.Open, after.Status);
        Assert.Null(after.AssignedStaffId);
        Assert.Equal(1, after.LastMessageSeq);
    }

    [Fact]
    public async Task PostingToAResolvedConversationThatStaffHoldGoesBackToThem()
    {
        var patient = await App.UserAsync();
        var staff = await App.UserAsync(Role.Staff);
        var c = await App.StartHeldConversationAsync(patient, staff);
        await App.Client(staff).PatchAsJsonAsync($"/api/chat/{c.Id}/status", new { status = "resolved" }, HttpAssertions.JsonOptions, Ct)
            .ReadAsync<ConversationDto>(HttpStatusCode.OK);

        await App.Client(patient).PostAsync(c.Id, "It came back");

        var after = await App.Client(patient).ConversationAsync(c.Id);
        Assert.Equal(ConversationStatus.AwaitingStaff, after.Status);
        Assert.Equal(staff.Id, after.AssignedStaffId);
    }

    [Fact]
    public async Task PostingToAnArchivedConversationIsAConflictAndStoresNothing()
    {
        var patient = await App.UserAsync();
        var admin = await App.UserAsync(Role.Admin);
        var c = await App.StartConversationAsync(patient);
        var client = App.Client(patient);
        await client.PostAsync(c.Id, "before archiving");
        await Archive(admin, c.Id);

        await client.SendAsync(c.Id, "after archiving").ProblemAsync(HttpStatusCode.Conflict);
        await App.Client(admin).SendAsync(c.Id, "admin after archiving").ProblemAsync(HttpStatusCode.Conflict);

        var after = await client.ConversationAsync(c.Id);
        Assert.Equal(ConversationStatus.Archived, after.Status);
        Assert.Equal(1, after.LastMessageSeq);
        Assert.Equal(1, await App.StoredMessagesAsync(c.Id));
    }

    [Fact]
    public async Task RetryingAMessageStoredBeforeArchivingReturnsTheOriginal()
    {
        var patient = await App.UserAsync();
        var admin = await App.UserAsync(Role.Admin);
        var c = await App.StartConversationAsync(patient);
        var client = App.Client(patient);
        var original = await client.PostAsync(c.Id, "sent just in time", "cm-late");
        await Archive(admin, c.Id);

        var retry = await client.SendAsync(c.Id, "sent just in time", "cm-late").ReadAsync<MessageDto>(HttpStatusCode.OK);

        Assert.Equal(original, retry);
        Assert.Equal(1, await App.StoredMessagesAsync(c.Id));
    }

    private async Task Archive(TestUser admin, Guid conversationId) =>
        await App.Client(admin).PatchAsJsonAsync($"/api/chat/{conversationId}/status", new { status = "archived" }, HttpAssertions.JsonOptions, Ct)
            .ReadAsync<ConversationDto>(HttpStatusCode.OK);
}
