namespace MedChat.Tests.Conversations;

public sealed class ConversationListTests(MedChatApp app) : ApiTest(app)
{
    [Fact]
    public async Task PatientsSeeOnlyTheirOwnConversationsNewestActivityFirst()
    {
        var cast = await Cast.CreateAsync(App);
        var older = await App.StartedAsync(cast.Patient, "older");
        var newer = await App.StartedAsync(cast.Patient, "newer");
        await App.StartedAsync(cast.OtherPatient, "someone else's");

        var page = await App.PageAsync(cast.Patient);

        Assert.Equal([newer.Id, older.Id], page.Items.Select(i => i.Id));
        Assert.Null(page.NextCursor);
    }

    [Fact]
    public async Task NewActivityMovesAConversationToTheTop()
    {
        var cast = await Cast.CreateAsync(App);
        var older = await App.StartedAsync(cast.Patient);
        var newer = await App.StartedAsync(cast.Patient);

        await App.PatchAsync(cast.Patient, older.Id, new { status = "resolved" }).ReadAsync<ConversationDto>(HttpStatusCode.OK);

        Assert.Equal([older.Id, newer.Id], (await App.PageAsync(cast.Patient)).Items.Select(i => i.Id));
    }

    [Fact]
    public async Task StaffSeeOnlyTheConversationsAssignedToThemInMine()
    {
        var cast = await Cast.CreateAsync(App);
        var mine = await App.StageAsync(cast, Stage.Held);
        var alsoMine = await App.StageAsync(cast, Stage.OpenHeld);
        await App.StageAsync(cast, Stage.Queued);
        var theirs = await App.StageAsync(cast, Stage.Queued);
        await App.ClaimAsync(cast.OtherStaff, theirs.Id).ReadAsync<ConversationDto>(HttpStatusCode.OK);

        var page = await App.PageAsync(cast.Staff, "?scope=mine");

        Assert.Equal([alsoMine.Id, mine.Id], page.Items.Select(i => i.Id));
    }

    [Fact]
    public async Task AdminsSeeEveryConversationInMine()
    {
        var cast = await Cast.CreateAsync(App);
        var all = new List<Guid>();
        foreach (var stage in Enum.GetValues<Stage>()) all.Add((await App.StageAsync(cast, stage)).Id);
        all.Add((await App.StartedAsync(cast.OtherPatient)).Id);

        var page = await App.PageAsync(cast.Admin);

        Assert.Equal(all.Order(), page.Items.Select(i => i.Id).Order());
    }

    [Fact]
    public async Task TheQueueIsMostUrgentFirstThenLongestWaiting()
    {
        var cast = await Cast.CreateAsync(App);
        var priorities = new[] { "routine", "emergency", "urgent", "emergency", "routine", "urgent" };
        var queued = new List<Guid>();
        foreach (var _ in priorities) queued.Add((await App.StageAsync(cast, Stage.Queued)).Id);
        // Raise priorities newest first, so that the order of the queue cannot come from the last change.
        for (var i = priorities.Length - 1; i >= 0; i--)
            await App.PatchAsync(cast.Admin, queued[i], new { priority = priorities[i] }).ReadAsync<ConversationDto>(HttpStatusCode.OK);
        await App.StageAsync(cast, Stage.Held);
        await App.StageAsync(cast, Stage.Open);

        var page = await App.PageAsync(cast.Staff, "?scope=queue");

        Assert.Equal([queued[1], queued[3], queued[2], queued[5], queued[0], queued[4]], page.Items.Select(i => i.Id));
    }

    [Fact]
    public async Task StatusFiltersTheListing()
    {
        var cast = await Cast.CreateAsync(App);
        var resolved = await App.StageAsync(cast, Stage.Resolved);
        var resolvedHeld = await App.StageAsync(cast, Stage.ResolvedHeld);
        await App.StageAsync(cast, Stage.Open);
        await App.StageAsync(cast, Stage.Queued);

        var patients = await App.PageAsync(cast.Patient, "?status=resolved");
        var admins = await App.PageAsync(cast.Admin, "?status=awaiting_staff");

        Assert.Equal([resolvedHeld.Id, resolved.Id], patients.Items.Select(i => i.Id));
        Assert.All(admins.Items, i => Assert.Equal(ConversationStatus.AwaitingStaff, i.Status));
        Assert.Single(admins.Items);
    }

    [Fact]
    public async Task PagesWalkEveryConversationOnceWithoutGaps()
    {
        var cast = await Cast.CreateAsync(App);
        var created = new List<Guid>();
        for (var i = 0; i < 7; i++) created.Add((await App.StartedAsync(cast.Patient)).Id);
        created.Reverse();

        var seen = new List<Guid>();
        var sizes = new List<int>();
        string? cursor = null;
        do
        {
            var page = await App.PageAsync(cast.Patient, "?limit=3" + (cursor is null ? "" : $"&cursor={Uri.EscapeDataString(cursor)}"));
            seen.AddRange(page.Items.Select(i => i.Id));
            sizes.Add(page.Items.Count);
            cursor = page.NextCursor;
        }
        while (cursor is not null && sizes.Count < 10);

        Assert.Equal([3, 3, 1], sizes);
        Assert.Equal(created, seen);
    }

    [Fact]
    public async Task QueuePagesWalkTheQueueInOrder()
    {
        var cast = await Cast.CreateAsync(App);
        var queued = new List<Guid>();
        for (var i = 0; i < 5; i++) queued.Add((await App.StageAsync(cast, Stage.Queued)).Id);
        await App.PatchAsync(cast.Admin, queued[3], new { priority = "urgent" }).ReadAsync<ConversationDto>(HttpStatusCode.OK);
        var whole = (await App.PageAsync(cast.Staff, "?scope=queue")).Items.Select(i => i.Id).ToList();

        var seen = new List<Guid>();
        string? cursor = null;
        var pages = 0;
        do
        {
            var page = await App.PageAsync(cast.Staff, "?scope=queue&limit=2" + (cursor is null ? "" : $"&cursor={Uri.EscapeDataString(cursor)}"));
            seen.AddRange(page.Items.Select(i => i.Id));
            cursor = page.NextCursor;
            pages++;
        }
        while (cursor is not null && pages < 10);

        Assert.Equal(3, pages);
        Assert.Equal(queued[3], whole[0]);
        Assert.Equal(whole, seen);
    }

    [Fact]
    public async Task AFullLastPageHasNoNextCursor()
    {
        var cast = await Cast.CreateAsync(App);
        for (var i = 0; i < 3; i++) await App.StartedAsync(cast.Patient);

        var page = await App.PageAsync(cast.Patient, "?limit=3");

        Assert.Equal(3, page.Items.Count);
        Assert.Null(page.NextCursor);
    }

    [Theory]
    [InlineData("?limit=0", "limit")]
    [InlineData("?limit=101", "limit")]
    [InlineData("?limit=-1", "limit")]
    [InlineData("?limit=abc", "limit")]
    [InlineData("?scope=everything", "scope")]
    [InlineData("?scope=Queue", "scope")]
    [InlineData("?status=closed", "status")]
    [InlineData("?cursor=not-a-cursor", "cursor")]
    [InlineData("?cursor=bTE", "cursor")]
    public async Task BadQueryValuesAreBadRequestsNamingTheField(string query, string field)
    {
        var admin = await App.UserAsync(Role.Admin);

        await App.ListAsync(admin, query).ProblemAsync(HttpStatusCode.BadRequest, field);
    }

    [Fact]
    public async Task LimitsAtTheEdgesOfTheRangeAreAccepted()
    {
        var cast = await Cast.CreateAsync(App);
        await App.StartedAsync(cast.Patient);
        await App.StartedAsync(cast.Patient);

        Assert.Single((await App.PageAsync(cast.Patient, "?limit=1")).Items);
        Assert.Equal(2, (await App.PageAsync(cast.Patient, "?limit=100")).Items.Count);
    }

    [Fact]
    public async Task ACursorFromOneListingIsRefusedByTheOther()
    {
        var cast = await Cast.CreateAsync(App);
        for (var i = 0; i < 3; i++) await App.StageAsync(cast, Stage.Queued);
        var mine = await App.PageAsync(cast.Admin, "?limit=1");
        var queue = await App.PageAsync(cast.Admin, "?scope=queue&limit=1");

        await App.ListAsync(cast.Admin, $"?scope=queue&cursor={Uri.EscapeDataString(mine.NextCursor!)}").ProblemAsync(HttpStatusCode.BadRequest, "cursor");
        await App.ListAsync(cast.Admin, $"?scope=mine&cursor={Uri.EscapeDataString(queue.NextCursor!)}").ProblemAsync(HttpStatusCode.BadRequest, "cursor");
    }

    [Fact]
    public async Task PatientsCannotSeeTheQueue()
    {
        var cast = await Cast.CreateAsync(App);
        await App.StageAsync(cast, Stage.Queued);

        await App.ListAsync(cast.Patient, "?scope=queue").ProblemAsync(HttpStatusCode.Forbidden);
    }
}
