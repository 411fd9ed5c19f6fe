using static MedChat.Api.Conversations.ConversationStatus;

namespace MedChat.Tests.Conversations;

/// <summary>The contract's status transition table, row by row, for each role.</summary>
public sealed class StatusTransitionTests(MedChatApp app) : ApiTest(app)
{

    [Theory]
    // open → awaiting_staff (ask for a person)
    [InlineData(Open, AwaitingStaff, Role.Patient, true)]
    [InlineData(Open, AwaitingStaff, Role.Staff, true)]
    [InlineData(Open, AwaitingStaff, Role.Admin, true)]
    // awaiting_staff → open (back to the assistant)
    [InlineData(AwaitingStaff, Open, Role.Patient, false)]
    [InlineData(AwaitingStaff, Open, Role.Staff, true)]
    [InlineData(AwaitingStaff, Open, Role.Admin, true)]
    // open / awaiting_staff → resolved
    [InlineData(Open, Resolved, Role.Patient, true)]
    [InlineData(Open, Resolved, Role.Staff, true)]
    [InlineData(Open, Resolved, Role.Admin, true)]
    [InlineData(AwaitingStaff, Resolved, Role.Patient, true)]
    [InlineData(AwaitingStaff, Resolved, Role.Staff, true)]
    [InlineData(AwaitingStaff, Resolved, Role.Admin, true)]
    // resolved → open (reopen)
    [InlineData(Resolved, Open, Role.Patient, true)]
    [InlineData(Resolved, Open, Role.Staff, true)]
    [InlineData(Resolved, Open, Role.Admin, true)]
    // any but archived → archived: admins only
    [InlineData(Open, Archived, Role.Patient, false)]
    [InlineData(Open, Archived, Role.Staff, false)]
    [InlineData(Open, Archived, Role.Admin, true)]
    [InlineData(AwaitingStaff, Archived, Role.Patient, false)]
    [InlineData(AwaitingStaff, Archived, Role.Staff, false)]
    [InlineData(AwaitingStaff, Archived, Role.Admin, true)]
    [InlineData(Resolved, Archived, Role.Patient, false)]
    [InlineData(Resolved, Archived, Role.Staff, false)]
    [InlineData(Resolved, Archived, Role.Admin, true)]
    // archived → anything: no one
    [InlineData(Archived, Open, Role.Patient, false)]
    [InlineData(Archived, Open, Role.Staff, false)]
    [InlineData(Archived, Open, Role.Admin, false)]
    [InlineData(Archived, AwaitingStaff, Role.Patient, false)]
    [InlineData(Archived, AwaitingStaff, Role.Staff, false)]
    [InlineData(Archived, AwaitingStaff, Role.Admin, false)]
    [InlineData(Archived, Resolved, Role.Patient, false)]
    [InlineData(Archived, Resolved, Role.Staff, false)]
    [InlineData(Archived, Resolved, Role.Admin, false)]
    // not in the table at all
    [InlineData(Resolved, AwaitingStaff, Role.Patient, false)]
    [InlineData(Resolved, AwaitingStaff, Role.Staff, false)]
    [InlineData(Resolved, AwaitingStaff, Role.Admin, false)]
    public async Task StatusChangesFollowTheTransitionTable(ConversationStatus from, ConversationStatus to, Role role, bool allowed)
    {
        var cast = await Cast.CreateAsync(App);
        var before = await App.StageAsync(cast, StageFor(from, role));

        var response = await App.PatchAsync(cast.As(role), before.Id, new { status = Wire(to) });

        if (allowed)
        {
            var after = await response.ReadAsync<ConversationDto>(HttpStatusCode.OK);
            Assert.Equal(to, after.Status);
            Assert.Equal(to, (await App.ReadAsAdminAsync(cast, before.Id)).Status);
        }
        else
        {
            await response.ProblemAsync(HttpStatusCode.Conflict);
            Assert.Equal(before, await App.ReadAsAdminAsync(cast, before.Id));
        }
    }

    [Theory]
    [InlineData(AwaitingStaff, Open, true)]
    [InlineData(AwaitingStaff, Resolved, true)]
    [InlineData(AwaitingStaff, Archived, false)]
    public async Task StaffMoveAQueuedConversationNobodyHoldsByTheSameTable(ConversationStatus from, ConversationStatus to, bool allowed)
    {
        var cast = await Cast.CreateAsync(App);
        var before = await App.StageAsync(cast, Stage.Queued);
        Assert.Equal(from, before.Status);

        var response = await App.PatchAsync(cast.Staff, before.Id, new { status = Wire(to) });

        if (allowed)
        {
            Assert.Equal(to, (await response.ReadAsync<ConversationDto>(HttpStatusCode.OK)).Status);
            Assert.Equal(to, (await App.ReadAsAdminAsync(cast, before.Id)).Status);
        }
        else
        {
            await response.ProblemAsync(HttpStatusCode.Conflict);
            Assert.Equal(before, await App.ReadAsAdminAsync(cast, before.Id));
        }
    }

    [Theory]
    [InlineData(Open, Role.Patient)]
    [InlineData(Open, Role.Staff)]
    [InlineData(Open, Role.Admin)]
    [InlineData(AwaitingStaff, Role.Patient)]
    [InlineData(AwaitingStaff, Role.Staff)]
    [InlineData(AwaitingStaff, Role.Admin)]
    [InlineData(Resolved, Role.Patient)]
    [InlineData(Resolved, Role.Staff)]
    [InlineData(Resolved, Role.Admin)]
    public async Task TheSameStatusAgainIsOkAndChangesNothing(ConversationStatus status, Role role)
    {
        var cast = await Cast.CreateAsync(App);
        var before = await App.StageAsync(cast, StageFor(status, role));

        var after = await App.PatchAsync(cast.As(role), before.Id, new { status = Wire(status) }).ReadAsync<ConversationDto>(HttpStatusCode.OK);

        Assert.Equal(before, after);
        Assert.Equal(before, await App.ReadAsAdminAsync(cast, before.Id));
    }

    [Fact]
    public async Task PatientCannotChangePriority()
    {
        var cast = await Cast.CreateAsync(App);
        var before = await App.StageAsync(cast, Stage.Queued);

        await App.PatchAsync(cast.Patient, before.Id, new { priority = "emergency" }).ProblemAsync(HttpStatusCode.Forbidden);

        Assert.Equal(before, await App.ReadAsAdminAsync(cast, before.Id));
    }

    [Fact]
    public async Task PatientChangingPriorityAlongsideAStatusChangesNeither()
    {
        var cast = await Cast.CreateAsync(App);
        var before = await App.StageAsync(cast, Stage.Open);

        await App.PatchAsync(cast.Patient, before.Id, new { status = "awaiting_staff", priority = "urgent" }).ProblemAsync(HttpStatusCode.Forbidden);

        Assert.Equal(before, await App.ReadAsAdminAsync(cast, before.Id));
    }

    [Theory]
    [InlineData(Role.Staff, Stage.Held)]
    [InlineData(Role.Staff, Stage.Queued)]
    [InlineData(Role.Admin, Stage.Open)]
    [InlineData(Role.Admin, Stage.Resolved)]
    public async Task StaffAndAdminsSetPriority(Role role, Stage stage)
    {
        var cast = await Cast.CreateAsync(App);
        var before = await App.StageAsync(cast, stage);

        var after = await App.PatchAsync(cast.As(role), before.Id, new { priority = "urgent" }).ReadAsync<ConversationDto>(HttpStatusCode.OK);

        Assert.Equal(Priority.Urgent, after.Priority);
        Assert.Equal(before.Status, after.Status);
        Assert.Equal(Priority.Urgent, (await App.ReadAsAdminAsync(cast, before.Id)).Priority);
    }

    [Fact]
    public async Task StaffSetStatusAndPriorityInOneCall()
    {
        var cast = await Cast.CreateAsync(App);
        var before = await App.StageAsync(cast, Stage.Held);

        var after = await App.PatchAsync(cast.Staff, before.Id, new { status = "resolved", priority = "emergency" }).ReadAsync<ConversationDto>(HttpStatusCode.OK);

        Assert.Equal((Resolved, Priority.Emergency), (after.Status, after.Priority));
    }

    [Fact]
    public async Task AnArchivedConversationsPriorityCannotChange()
    {
        var cast = await Cast.CreateAsync(App);
        var before = await App.StageAsync(cast, Stage.Archived);

        await App.PatchAsync(cast.Admin, before.Id, new { priority = "urgent" }).ProblemAsync(HttpStatusCode.Conflict);

        Assert.Equal(before, await App.ReadAsAdminAsync(cast, before.Id));
    }

    [Theory]
    [InlineData("""{"status":"closed"}""", "$.status")]
    [InlineData("""{"priority":"high"}""", "$.priority")]
    [InlineData("""{"status":1}""", "$.status")]
    public async Task AnUnknownStatusOrPriorityIsABadRequest(string body, string field)
    {
        var cast = await Cast.CreateAsync(App);
        var before = await App.StageAsync(cast, Stage.Held);

        using var content = new StringContent(body, System.Text.Encoding.UTF8, "application/json");
        await App.Client(cast.Staff).PatchAsync($"/api/chat/{before.Id}/status", content, Ct).ProblemAsync(HttpStatusCode.BadRequest, field);

        Assert.Equal(before, await App.ReadAsAdminAsync(cast, before.Id));
    }

    /// <summary>A conversation in <paramref name="status"/> that the role may see: staff get one they hold.</summary>
    private static Stage StageFor(ConversationStatus status, Role role) => (status, role == Role.Staff) switch
    {
        (Open, false) => Stage.Open,
        (Open, true) => Stage.OpenHeld,
        (AwaitingStaff, false) => Stage.Queued,
        (AwaitingStaff, true) => Stage.Held,
        (Resolved, false) => Stage.Resolved,
        (Resolved, true) => Stage.ResolvedHeld,
        (_, false) => Stage.Archived,
        _ => Stage.ArchivedHeld,
    };

    private static string Wire(ConversationStatus s) => s switch
    {
        Open => "open",
        AwaitingStaff => "awaiting_staff",
        Resolved => "resolved",
        _ => "archived",
    };
}
