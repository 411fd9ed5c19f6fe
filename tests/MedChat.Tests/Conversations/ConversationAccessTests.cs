namespace MedChat.Tests.Conversations;

/// <summary>
/// Broken object level authorization, route by route: another person's conversation is 404 (it does not
/// exist for them), an action the caller's role may never take is 403, and a refused call changes nothing.
/// </summary>
public sealed class ConversationAccessTests(MedChatApp app) : ApiTest(app)
{
    public enum Viewer { OwnPatient, OtherPatient, AssignedStaff, OtherStaff, QueueStaff, Admin }

    public enum Call { Get, ChangeStatus, Claim, Assign }

    [Theory]
    [InlineData(Call.Get, Viewer.OwnPatient, HttpStatusCode.OK)]
    [InlineData(Call.Get, Viewer.OtherPatient, HttpStatusCode.NotFound)]
    [InlineData(Call.Get, Viewer.AssignedStaff, HttpStatusCode.OK)]
    [InlineData(Call.Get, Viewer.OtherStaff, HttpStatusCode.NotFound)]
    [InlineData(Call.Get, Viewer.QueueStaff, HttpStatusCode.OK)]
    [InlineData(Call.Get, Viewer.Admin, HttpStatusCode.OK)]
    [InlineData(Call.ChangeStatus, Viewer.OwnPatient, HttpStatusCode.OK)]
    [InlineData(Call.ChangeStatus, Viewer.OtherPatient, HttpStatusCode.NotFound)]
    [InlineData(Call.ChangeStatus, Viewer.AssignedStaff, HttpStatusCode.OK)]
    [InlineData(Call.ChangeStatus, Viewer.OtherStaff, HttpStatusCode.NotFound)]
    [InlineData(Call.ChangeStatus, Viewer.QueueStaff, HttpStatusCode.OK)]
    [InlineData(Call.ChangeStatus, Viewer.Admin, HttpStatusCode.OK)]
    [InlineData(Call.Claim, Viewer.OwnPatient, HttpStatusCode.Forbidden)]
    [InlineData(Call.Claim, Viewer.OtherPatient, HttpStatusCode.Forbidden)]
    [InlineData(Call.Claim, Viewer.AssignedStaff, HttpStatusCode.OK)]
    [InlineData(Call.Claim, Viewer.OtherStaff, HttpStatusCode.NotFound)]
    [InlineData(Call.Claim, Viewer.QueueStaff, HttpStatusCode.OK)]
    [InlineData(Call.Claim, Viewer.Admin, HttpStatusCode.OK)]
    [InlineData(Call.Assign, Viewer.OwnPatient, HttpStatusCode.Forbidden)]
    [InlineData(Call.Assign, Viewer.OtherPatient, HttpStatusCode.Forbidden)]
    [InlineData(Call.Assign, Viewer.AssignedStaff, HttpStatusCode.Forbidden)]
    [InlineData(Call.Assign, Viewer.OtherStaff, HttpStatusCode.Forbidden)]
    [InlineData(Call.Assign, Viewer.QueueStaff, HttpStatusCode.Forbidden)]
    [InlineData(Call.Assign, Viewer.Admin, HttpStatusCode.OK)]
    public async Task EachViewerGetsTheContractsAnswerOnEveryConversationRoute(Call action, Viewer viewer, HttpStatusCode expected)
    {
        var cast = await Cast.CreateAsync(App);
        // Staff meet a conversation one of them holds; everyone else meets one waiting in the queue.
        var held = viewer is Viewer.AssignedStaff or Viewer.OtherStaff;
        var c = await App.StageAsync(cast, held ? Stage.Held : Stage.Queued);
        var caller = viewer switch
        {
            Viewer.OwnPatient => cast.Patient,
            Viewer.OtherPatient => cast.OtherPatient,
            Viewer.AssignedStaff or Viewer.QueueStaff => cast.Staff,
            Viewer.OtherStaff => cast.OtherStaff,
            _ => cast.Admin,
        };

        var response = action switch
        {
            Call.Get => await App.GetConversationAsync(caller, c.Id),
            Call.ChangeStatus => await App.PatchAsync(caller, c.Id, new { status = "resolved" }),
            Call.Claim => await App.ClaimAsync(caller, c.Id),
            _ => await App.AssignAsync(caller, c.Id, cast.OtherStaff.Id),
        };

        if (expected != HttpStatusCode.OK)
        {
            await response.ProblemAsync(expected);
            Assert.Equal(c, await App.ReadAsAdminAsync(cast, c.Id));
            return;
        }
        var seen = await response.ReadAsync<ConversationDto>(HttpStatusCode.OK);
        Assert.Equal(c.Id, seen.Id);
        switch (action)
        {
            case Call.ChangeStatus:
                Assert.Equal(ConversationStatus.Resolved, seen.Status);
                break;
            case Call.Claim:
                Assert.Equal(caller.Id, seen.AssignedStaffId);
                break;
            case Call.Assign:
                Assert.Equal(cast.OtherStaff.Id, seen.AssignedStaffId);
                break;
            case Call.Get:
            default:
                Assert.Equal(c, seen);
                break;
        }
    }

    [Theory]
    [InlineData(Viewer.OwnPatient, "mine", HttpStatusCode.OK, true)]
    [InlineData(Viewer.OtherPatient, "mine", HttpStatusCode.OK, false)]
    [InlineData(Viewer.AssignedStaff, "mine", HttpStatusCode.OK, true)]
    [InlineData(Viewer.OtherStaff, "mine", HttpStatusCode.OK, false)]
    [InlineData(Viewer.QueueStaff, "mine", HttpStatusCode.OK, false)]
    [InlineData(Viewer.Admin, "mine", HttpStatusCode.OK, true)]
    [InlineData(Viewer.OwnPatient, "queue", HttpStatusCode.Forbidden, false)]
    [InlineData(Viewer.OtherPatient, "queue", HttpStatusCode.Forbidden, false)]
    [InlineData(Viewer.AssignedStaff, "queue", HttpStatusCode.OK, false)]
    [InlineData(Viewer.OtherStaff, "queue", HttpStatusCode.OK, false)]
    [InlineData(Viewer.QueueStaff, "queue", HttpStatusCode.OK, true)]
    [InlineData(Viewer.Admin, "queue", HttpStatusCode.OK, true)]
    public async Task ListingsShowAConversationOnlyToThoseWhoMaySeeItThere(Viewer viewer, string scope, HttpStatusCode expected, bool listed)
    {
        var cast = await Cast.CreateAsync(App);
        var held = viewer is Viewer.AssignedStaff or Viewer.OtherStaff;
        // Admins look at a held conversation in "mine" (they see all) and at a queued one in "queue".
        var c = await App.StageAsync(cast, held || (viewer == Viewer.Admin && scope == "mine") ? Stage.Held : Stage.Queued);
        var caller = viewer switch
        {
            Viewer.OwnPatient => cast.Patient,
            Viewer.OtherPatient => cast.OtherPatient,
            Viewer.AssignedStaff or Viewer.QueueStaff => cast.Staff,
            Viewer.OtherStaff => cast.OtherStaff,
            _ => cast.Admin,
        };

        var response = await App.ListAsync(caller, $"?scope={scope}");

        if (expected != HttpStatusCode.OK)
        {
            await response.ProblemAsync(expected);
            return;
        }
        var page = await response.ReadAsync<Page<ConversationDto>>(HttpStatusCode.OK);
        Assert.Equal(listed, page.Items.Any(i => i.Id == c.Id));
    }

    [Theory]
    [InlineData(Role.Patient, HttpStatusCode.Created)]
    [InlineData(Role.Staff, HttpStatusCode.Forbidden)]
    [InlineData(Role.Admin, HttpStatusCode.Forbidden)]
    public async Task OnlyPatientsStartConversations(Role role, HttpStatusCode expected)
    {
        var user = await App.UserAsync(role);

        var response = await App.StartAsync(user, new { title = "Headache" });

        if (expected == HttpStatusCode.Created)
        {
            var c = await response.ReadAsync<ConversationDto>(HttpStatusCode.Created);
            Assert.Equal(user.Id, c.PatientId);
            return;
        }
        await response.ProblemAsync(expected);
        Assert.Equal(0L, await App.ScalarAsOwnerAsync<long>("SELECT count(*) FROM conversations"));
    }

    [Fact]
    public async Task PatientCannotReadAnotherPatientsConversation()
    {
        var cast = await Cast.CreateAsync(App);
        var c = await App.StartedAsync(cast.Patient, "Private");

        var problem = await App.GetConversationAsync(cast.OtherPatient, c.Id).ProblemAsync(HttpStatusCode.NotFound);

        Assert.DoesNotContain("Private", problem.GetRawText(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnotherPatientsConversationLooksExactlyLikeOneThatDoesNotExist()
    {
        var cast = await Cast.CreateAsync(App);
        var c = await App.StartedAsync(cast.Patient);
        var missing = Guid.CreateVersion7();

        var theirs = await App.GetConversationAsync(cast.OtherPatient, c.Id).ProblemAsync(HttpStatusCode.NotFound);
        var nobodys = await App.GetConversationAsync(cast.OtherPatient, missing).ProblemAsync(HttpStatusCode.NotFound);

        Assert.Equal(nobodys.GetProperty("title").GetString(), theirs.GetProperty("title").GetString());
        Assert.Equal(
            nobodys.GetProperty("detail").GetString()!.Replace(missing.ToString(), "{id}", StringComparison.Ordinal),
            theirs.GetProperty("detail").GetString()!.Replace(c.Id.ToString(), "{id}", StringComparison.Ordinal));
    }

    [Fact]
    public async Task StaffCannotSeeAConversationThatHasNotAskedForAPerson()
    {
        var cast = await Cast.CreateAsync(App);
        var c = await App.StageAsync(cast, Stage.Open);

        await App.GetConversationAsync(cast.Staff, c.Id).ProblemAsync(HttpStatusCode.NotFound);
        await App.ClaimAsync(cast.Staff, c.Id).ProblemAsync(HttpStatusCode.NotFound);
        await App.PatchAsync(cast.Staff, c.Id, new { priority = "urgent" }).ProblemAsync(HttpStatusCode.NotFound);

        Assert.Equal(c, await App.ReadAsAdminAsync(cast, c.Id));
    }

    [Fact]
    public async Task ARouteIdThatIsNotAUuidIsABadRequestNamingIt()
    {
        var patient = await App.UserAsync();

        await App.Client(patient).GetAsync("/api/chat/conversations/not-a-uuid", Ct).ProblemAsync(HttpStatusCode.BadRequest, "id");
    }

    [Fact]
    public async Task ConversationRoutesRequireAToken()
    {
        var anonymous = App.Client((string?)null);

        await anonymous.GetAsync("/api/chat/conversations", Ct).ProblemAsync(HttpStatusCode.Unauthorized);
        await anonymous.PostAsJsonAsync("/api/chat/conversations", new { }, Ct).ProblemAsync(HttpStatusCode.Unauthorized);
    }
}
