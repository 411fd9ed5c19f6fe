using System.Text.Json;

namespace MedChat.Tests.Messages;

public sealed class ReceiptTests(MedChatApp app) : ApiTest(app)
{
    [Fact]
    public async Task MarkingIs204AndTheCursorIsListedWithTheReadersRole()
    {
        var (patient, staff, c) = await HeldConversationWith(3);

        var response = await App.Client(staff).MarkAsync(c, new { deliveredSeq = 2 });

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        var json = await App.Client(patient).GetAsync($"/api/chat/{c}/receipts", Ct).ReadAsync<JsonElement>(HttpStatusCode.OK);
        var receipt = Assert.Single(json.EnumerateArray());
        Assert.Equal(["deliveredSeq", "readSeq", "role", "userId"], receipt.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));
        Assert.Equal(staff.Id, receipt.GetProperty("userId").GetGuid());
        Assert.Equal("staff", receipt.GetProperty("role").GetString());
        Assert.Equal(2, receipt.GetProperty("deliveredSeq").GetInt64());
        Assert.Equal(0, receipt.GetProperty("readSeq").GetInt64());
    }

    [Fact]
    public async Task NoReceiptsAreListedBeforeAnyoneMarks()
    {
        var (patient, _, c) = await HeldConversationWith(1);

        Assert.Empty(await App.Client(patient).ReceiptsAsync(c));
    }

    [Fact]
    public async Task EveryParticipantWhoMarkedIsListed()
    {
        var (patient, staff, c) = await HeldConversationWith(2);
        var admin = await App.UserAsync(Role.Admin);

        await Mark(patient, c, new { readSeq = 2 });
        await Mark(staff, c, new { deliveredSeq = 1 });
        await Mark(admin, c, new { readSeq = 1 });

        var receipts = await App.Client(staff).ReceiptsAsync(c);
        Assert.Equal(
            new[] { new ReceiptDto(patient.Id, Role.Patient, 2, 2), new ReceiptDto(staff.Id, Role.Staff, 1, 0), new ReceiptDto(admin.Id, Role.Admin, 1, 1) }
                .OrderBy(r => r.UserId),
            receipts.OrderBy(r => r.UserId));
    }

    [Fact]
    public async Task AReceiptIsAlwaysTheCallersWhateverTheBodySays()
    {
        var (patient, staff, c) = await HeldConversationWith(2);

        await Mark(staff, c, new { userId = patient.Id, role = "patient", readSeq = 2 });

        var receipt = Assert.Single(await App.Client(patient).ReceiptsAsync(c));
        Assert.Equal(new ReceiptDto(staff.Id, Role.Staff, 2, 2), receipt);
    }

    [Fact]
    public async Task ReadingImpliesDelivery()
    {
        var (_, staff, c) = await HeldConversationWith(3);

        await Mark(staff, c, new { readSeq = 2 });
        Assert.Equal((2L, 2L), await CursorsOf(staff, c));

        await Mark(staff, c, new { deliveredSeq = 1, readSeq = 3 });
        Assert.Equal((3L, 3L), await CursorsOf(staff, c));
    }

    [Fact]
    public async Task MovingOneCursorLeavesTheOtherWhereItWas()
    {
        var (_, staff, c) = await HeldConversationWith(3);

        await Mark(staff, c, new { readSeq = 1 });
        await Mark(staff, c, new { deliveredSeq = 3 });

        Assert.Equal((3L, 1L), await CursorsOf(staff, c));
    }

    [Fact]
    public async Task ACursorMovingBackwardIsIgnored()
    {
        var (_, staff, c) = await HeldConversationWith(3);
        await Mark(staff, c, new { deliveredSeq = 3, readSeq = 2 });

        await Mark(staff, c, new { deliveredSeq = 1, readSeq = 1 });
        await Mark(staff, c, new { readSeq = 0 });

        Assert.Equal((3L, 2L), await CursorsOf(staff, c));
    }

    [Theory]
    [InlineData("deliveredSeq")]
    [InlineData("readSeq")]
    public async Task ASeqAboveTheLastMessageIs400AndChangesNothing(string field)
    {
        var (_, staff, c) = await HeldConversationWith(3);
        await Mark(staff, c, new { deliveredSeq = 1, readSeq = 1 });

        await App.Client(staff).MarkAsync(c, new Dictionary<string, long> { [field] = 4 }).ProblemAsync(HttpStatusCode.BadRequest, field);

        Assert.Equal((1L, 1L), await CursorsOf(staff, c));
    }

    [Theory]
    [InlineData("deliveredSeq")]
    [InlineData("readSeq")]
    public async Task ANegativeSeqIs400AndStoresNothing(string field)
    {
        var (_, staff, c) = await HeldConversationWith(3);

        await App.Client(staff).MarkAsync(c, new Dictionary<string, long> { [field] = -1 }).ProblemAsync(HttpStatusCode.BadRequest, field);

        Assert.Equal(0, await App.StoredReceiptsAsync(c));
    }

    [Fact]
    public async Task TheSendersMessagesGoFromSentToDeliveredToReadAsTheOtherParticipantMarks()
    {
        var (patient, staff, c) = await HeldConversationWith(3);
        var patientClient = App.Client(patient);
        Assert.Equal([MessageStatus.Sent, MessageStatus.Sent, MessageStatus.Sent], await StatusesSeenBy(patientClient, c));

        await Mark(staff, c, new { deliveredSeq = 2 });
        Assert.Equal([MessageStatus.Delivered, MessageStatus.Delivered, MessageStatus.Sent], await StatusesSeenBy(patientClient, c));

        await Mark(staff, c, new { readSeq = 1 });
        Assert.Equal([MessageStatus.Read, MessageStatus.Delivered, MessageStatus.Sent], await StatusesSeenBy(patientClient, c));

        await Mark(staff, c, new { readSeq = 3 });
        Assert.Equal([MessageStatus.Read, MessageStatus.Read, MessageStatus.Read], await StatusesSeenBy(patientClient, c));
    }

    [Fact]
    public async Task AParticipantsOwnReceiptNeverMarksTheirOwnMessages()
    {
        var (patient, staff, c) = await HeldConversationWith(2);
        await App.Client(staff).PostAsync(c, "a reply from staff");

        await Mark(patient, c, new { readSeq = 3 });

        var page = await App.Client(patient).MessagesAsync(c);
        Assert.Equal(
            [(patient.Id, MessageStatus.Sent), (patient.Id, MessageStatus.Sent), (staff.Id, MessageStatus.Read)],
            page.Items.Select(m => (m.SenderId!.Value, m.Status)));
    }

    [Fact]
    public async Task ARetriedSendReportsTheStatusTheOthersHaveReached()
    {
        var (patient, staff, c) = await HeldConversationWith(0);
        var original = await App.Client(patient).PostAsync(c, "did you see this?", "cm-1");

        await Mark(staff, c, new { readSeq = 1 });
        var retry = await App.Client(patient).SendAsync(c, "did you see this?", "cm-1").ReadAsync<MessageDto>(HttpStatusCode.OK);

        Assert.Equal(MessageStatus.Sent, original.Status);
        Assert.Equal(original with { Status = MessageStatus.Read }, retry);
    }

    /// <summary>A conversation held by a staff member, with <paramref name="count"/> messages from the patient.</summary>
    private async Task<(TestUser Patient, TestUser Staff, Guid Conversation)> HeldConversationWith(int count)
    {
        var patient = await App.UserAsync();
        var staff = await App.UserAsync(Role.Staff);
        var c = await App.StartHeldConversationAsync(patient, staff);
        var client = App.Client(patient);
        for (var i = 1; i <= count; i++) await client.PostAsync(c.Id, $"message {i}");
        return (patient, staff, c.Id);
    }

    private async Task Mark(TestUser user, Guid conversationId, object receipt)
    {
        var response = await App.Client(user).MarkAsync(conversationId, receipt);
        Assert.True(response.StatusCode == HttpStatusCode.NoContent,
            $"Expected 204, got {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(Ct)}");
    }

    private async Task<(long Delivered, long Read)> CursorsOf(TestUser user, Guid conversationId)
    {
        var receipt = Assert.Single(await App.Client(user).ReceiptsAsync(conversationId), r => r.UserId == user.Id);
        return (receipt.DeliveredSeq, receipt.ReadSeq);
    }

    private static async Task<MessageStatus[]> StatusesSeenBy(HttpClient client, Guid conversationId) =>
        (await client.MessagesAsync(conversationId)).Items.Select(m => m.Status).ToArray();
}
