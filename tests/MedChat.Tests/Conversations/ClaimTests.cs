namespace MedChat.Tests.Conversations;

public sealed class ClaimTests(MedChatApp app) : ApiTest(app)
{
    [Fact]
    public async Task StaffClaimAQueuedConversationAndItLeavesTheQueue()
    {
        var cast = await Cast.CreateAsync(App);
        var c = await App.StageAsync(cast, Stage.Queued);

        var claimed = await App.ClaimAsync(cast.Staff, c.Id).ReadAsync<ConversationDto>(HttpStatusCode.OK);

        Assert.Equal(cast.Staff.Id, claimed.AssignedStaffId);
        Assert.Equal(ConversationStatus.AwaitingStaff, claimed.Status);
        Assert.Equal(claimed, await App.ReadAsAdminAsync(cast, c.Id));
        Assert.DoesNotContain((await App.PageAsync(cast.OtherStaff, "?scope=queue")).Items, i => i.Id == c.Id);
        Assert.Contains((await App.PageAsync(cast.Staff)).Items, i => i.Id == c.Id);
    }

    [Fact]
    public async Task ClaimingAConversationAlreadyHeldIsOkAndChangesNothing()
    {
        var cast = await Cast.CreateAsync(App);
        var c = await App.StageAsync(cast, Stage.Held);

        var again = await App.ClaimAsync(cast.Staff, c.Id).ReadAsync<ConversationDto>(HttpStatusCode.OK);

        Assert.Equal(c, again);
        Assert.Equal(c, await App.ReadAsAdminAsync(cast, c.Id));
    }

    [Fact]
    public async Task StaffCannotClaimAConversationSomeoneElseHolds()
    {
        var cast = await Cast.CreateAsync(App);
        var c = await App.StageAsync(cast, Stage.Held);

        await App.ClaimAsync(cast.OtherStaff, c.Id).ProblemAsync(HttpStatusCode.NotFound);

        Assert.Equal(c, await App.ReadAsAdminAsync(cast, c.Id));
    }

    [Fact]
    public async Task AdminClaimingAConversationAnotherStaffMemberHoldsIsAConflict()
    {
        var cast = await Cast.CreateAsync(App);
        var c = await App.StageAsync(cast, Stage.Held);

        await App.ClaimAsync(cast.Admin, c.Id).ProblemAsync(HttpStatusCode.Conflict);

        Assert.Equal(c, await App.ReadAsAdminAsync(cast, c.Id));
    }

    [Fact]
    public async Task AdminClaimsAQueuedConversation()
    {
        var cast = await Cast.CreateAsync(App);
        var c = await App.StageAsync(cast, Stage.Queued);

        var claimed = await App.ClaimAsync(cast.Admin, c.Id).ReadAsync<ConversationDto>(HttpStatusCode.OK);

        Assert.Equal((cast.Admin.Id, ConversationStatus.AwaitingStaff), (claimed.AssignedStaffId, claimed.Status));
    }

    [Fact]
    public async Task AnArchivedConversationCannotBeClaimed()
    {
        var cast = await Cast.CreateAsync(App);
        var c = await App.StageAsync(cast, Stage.Archived);

        await App.ClaimAsync(cast.Admin, c.Id).ProblemAsync(HttpStatusCode.Conflict);

        Assert.Equal(c, await App.ReadAsAdminAsync(cast, c.Id));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task PatientsCannotClaim(bool own)
    {
        var cast = await Cast.CreateAsync(App);
        var c = await App.StageAsync(cast, Stage.Queued);

        await App.ClaimAsync(own ? cast.Patient : cast.OtherPatient, c.Id).ProblemAsync(HttpStatusCode.Forbidden);

        Assert.Equal(c, await App.ReadAsAdminAsync(cast, c.Id));
    }

    [Fact]
    public async Task OfTwoStaffRacingForOneQueuedConversationExactlyOneWins()
    {
        var cast = await Cast.CreateAsync(App);

        for (var round = 0; round < 20; round++)
        {
            var (c, responses) = await RaceAsync(cast, cast.Staff, cast.OtherStaff);

            // The loser gets 409 when its claim met the winner's in the database. When it arrives after the
            // winner committed, the conversation is already someone else's, which the contract makes a 404.
            Assert.Single(responses, r => r.StatusCode == HttpStatusCode.OK);
            var loser = responses.Single(r => r.StatusCode != HttpStatusCode.OK);
            Assert.True(loser.StatusCode is HttpStatusCode.Conflict or HttpStatusCode.NotFound, $"round {round}: loser got {(int)loser.StatusCode}");
            await loser.ProblemAsync(loser.StatusCode);
            var winner = responses[0].StatusCode == HttpStatusCode.OK ? cast.Staff : cast.OtherStaff;
            Assert.Equal(winner.Id, (await App.ReadAsAdminAsync(cast, c.Id)).AssignedStaffId);
        }
    }

    [Fact]
    public async Task OfTwoAdminsRacingForOneQueuedConversationOneWinsAndTheOtherGetsAConflict()
    {
        var cast = await Cast.CreateAsync(App);
        var otherAdmin = await App.UserAsync(Role.Admin);

        for (var round = 0; round < 20; round++)
        {
            var (c, responses) = await RaceAsync(cast, cast.Admin, otherAdmin);

            var statuses = responses.Select(r => r.StatusCode).Order().ToArray();
            Assert.True(statuses.SequenceEqual([HttpStatusCode.OK, HttpStatusCode.Conflict]), $"round {round}: {string.Join(", ", statuses)}");
            await responses.Single(r => r.StatusCode == HttpStatusCode.Conflict).ProblemAsync(HttpStatusCode.Conflict);
            var winner = responses[0].StatusCode == HttpStatusCode.OK ? cast.Admin : otherAdmin;
            Assert.Equal(winner.Id, (await App.ReadAsAdminAsync(cast, c.Id)).AssignedStaffId);
        }
    }

    /// <summary>Queues a conversation and fires both claims at once, over connections already open.</summary>
    private async Task<(ConversationDto, HttpResponseMessage[])> RaceAsync(Cast cast, TestUser one, TestUser two)
    {
        var c = await App.StageAsync(cast, Stage.Queued);
        var first = App.Client(one);
        var second = App.Client(two);
        await first.GetAsync("/api/me", Ct);
        await second.GetAsync("/api/me", Ct);

        var responses = await Task.WhenAll(
            first.PostAsync($"/api/chat/{c.Id}/claim", null, Ct),
            second.PostAsync($"/api/chat/{c.Id}/claim", null, Ct));
        return (c, responses);
    }
}
