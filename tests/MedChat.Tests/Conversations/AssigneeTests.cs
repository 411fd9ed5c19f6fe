namespace MedChat.Tests.Conversations;

public sealed class AssigneeTests(MedChatApp app) : ApiTest(app)
{
    [Fact]
    public async Task AdminAssignsAQueuedConversationToAStaffMember()
    {
        var cast = await Cast.CreateAsync(App);
        var c = await App.StageAsync(cast, Stage.Queued);

        var assigned = await App.AssignAsync(cast.Admin, c.Id, cast.OtherStaff.Id).ReadAsync<ConversationDto>(HttpStatusCode.OK);

        Assert.Equal(cast.OtherStaff.Id, assigned.AssignedStaffId);
        Assert.Equal(assigned, await App.ReadAsAdminAsync(cast, c.Id));
        Assert.Contains((await App.PageAsync(cast.OtherStaff)).Items, i => i.Id == c.Id);
        Assert.DoesNotContain((await App.PageAsync(cast.Staff, "?scope=queue")).Items, i => i.Id == c.Id);
        await App.GetConversationAsync(cast.Staff, c.Id).ProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task AdminReassignsAConversationFromOneStaffMemberToAnother()
    {
        var cast = await Cast.CreateAsync(App);
        var c = await App.StageAsync(cast, Stage.Held);

        var moved = await App.AssignAsync(cast.Admin, c.Id, cast.OtherStaff.Id).ReadAsync<ConversationDto>(HttpStatusCode.OK);

        Assert.Equal(cast.OtherStaff.Id, moved.AssignedStaffId);
        await App.GetConversationAsync(cast.Staff, c.Id).ProblemAsync(HttpStatusCode.NotFound);
        await App.GetConversationAsync(cast.OtherStaff, c.Id).ReadAsync<ConversationDto>(HttpStatusCode.OK);
    }

    [Fact]
    public async Task UnassigningAWaitingConversationPutsItBackInTheQueue()
    {
        var cast = await Cast.CreateAsync(App);
        var c = await App.StageAsync(cast, Stage.Held);

        var freed = await App.AssignAsync(cast.Admin, c.Id, null).ReadAsync<ConversationDto>(HttpStatusCode.OK);

        Assert.Null(freed.AssignedStaffId);
        Assert.Equal(ConversationStatus.AwaitingStaff, freed.Status);
        Assert.Empty((await App.PageAsync(cast.Staff)).Items);
        Assert.Contains((await App.PageAsync(cast.OtherStaff, "?scope=queue")).Items, i => i.Id == c.Id);
    }

    [Fact]
    public async Task UnassignedConversationsGoToTheBackOfTheQueue()
    {
        var cast = await Cast.CreateAsync(App);
        var held = await App.StageAsync(cast, Stage.Held);
        var waiting = await App.StageAsync(cast, Stage.Queued);

        await App.AssignAsync(cast.Admin, held.Id, null).ReadAsync<ConversationDto>(HttpStatusCode.OK);

        var queue = await App.PageAsync(cast.Staff, "?scope=queue");
        Assert.Equal([waiting.Id, held.Id], queue.Items.Select(i => i.Id));
    }

    [Fact]
    public async Task AssigningAPatientIsABadRequestNamingStaffId()
    {
        var cast = await Cast.CreateAsync(App);
        var c = await App.StageAsync(cast, Stage.Queued);

        await App.AssignAsync(cast.Admin, c.Id, cast.OtherPatient.Id).ProblemAsync(HttpStatusCode.BadRequest, "staffId");

        Assert.Equal(c, await App.ReadAsAdminAsync(cast, c.Id));
    }

    [Fact]
    public async Task AssigningSomeoneUnknownIsABadRequestNamingStaffId()
    {
        var cast = await Cast.CreateAsync(App);
        var c = await App.StageAsync(cast, Stage.Queued);

        await App.AssignAsync(cast.Admin, c.Id, Guid.CreateVersion7()).ProblemAsync(HttpStatusCode.BadRequest, "staffId");

        Assert.Equal(c, await App.ReadAsAdminAsync(cast, c.Id));
    }

    [Theory]
    [InlineData(Role.Patient)]
    [InlineData(Role.Staff)]
    public async Task OnlyAdminsAssign(Role role)
    {
        var cast = await Cast.CreateAsync(App);
        var c = await App.StageAsync(cast, Stage.Held);

        await App.AssignAsync(cast.As(role), c.Id, cast.Staff.Id).ProblemAsync(HttpStatusCode.Forbidden);
        await App.AssignAsync(cast.As(role), c.Id, null).ProblemAsync(HttpStatusCode.Forbidden);

        Assert.Equal(c, await App.ReadAsAdminAsync(cast, c.Id));
    }

    [Fact]
    public async Task AssigningAConversationThatDoesNotExistIsNotFound()
    {
        var cast = await Cast.CreateAsync(App);

        await App.AssignAsync(cast.Admin, Guid.CreateVersion7(), cast.Staff.Id).ProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task AnArchivedConversationCannotBeAssigned()
    {
        var cast = await Cast.CreateAsync(App);
        var c = await App.StageAsync(cast, Stage.Archived);

        await App.AssignAsync(cast.Admin, c.Id, cast.Staff.Id).ProblemAsync(HttpStatusCode.Conflict);

        Assert.Equal(c, await App.ReadAsAdminAsync(cast, c.Id));
    }
}
