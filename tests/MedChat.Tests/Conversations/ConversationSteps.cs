namespace MedChat.Tests.Conversations;

/// <summary>Where a conversation stands; "Held" means assigned to <see cref="Cast.Staff"/>.</summary>
public enum Stage { Open, Queued, Held, OpenHeld, Resolved, ResolvedHeld, Archived, ArchivedHeld }

/// <summary>The people every conversation test needs: a patient and a stranger, two staff members and an admin.</summary>
internal sealed record Cast(TestUser Patient, TestUser OtherPatient, TestUser Staff, TestUser OtherStaff, TestUser Admin)
{
    public static async Task<Cast> CreateAsync(MedChatApp app) => new(
        await app.UserAsync(Role.Patient), await app.UserAsync(Role.Patient),
        await app.UserAsync(Role.Staff), await app.UserAsync(Role.Staff), await app.UserAsync(Role.Admin));

    public TestUser As(Role role) => role switch
    {
        Role.Patient => Patient,
        Role.Staff => Staff,
        _ => Admin,
    };
}

/// <summary>
/// The conversation routes as a client calls them, and <see cref="StageAsync"/>, which puts a conversation
/// in a given state the way people do: through the API, asserting each step.
/// </summary>
internal static class ConversationSteps
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static Task<HttpResponseMessage> StartAsync(this MedChatApp app, TestUser who, object? body = null) =>
        app.Client(who).PostAsJsonAsync("/api/chat/conversations", body ?? new { }, HttpAssertions.JsonOptions, Ct);

    public static Task<HttpResponseMessage> GetConversationAsync(this MedChatApp app, TestUser who, Guid id) =>
        app.Client(who).GetAsync($"/api/chat/conversations/{id}", Ct);

    public static Task<HttpResponseMessage> ListAsync(this MedChatApp app, TestUser who, string query = "") =>
        app.Client(who).GetAsync($"/api/chat/conversations{query}", Ct);

    public static Task<HttpResponseMessage> PatchAsync(this MedChatApp app, TestUser who, Guid id, object body) =>
        app.Client(who).PatchAsJsonAsync($"/api/chat/{id}/status", body, HttpAssertions.JsonOptions, Ct);

    public static Task<HttpResponseMessage> ClaimAsync(this MedChatApp app, TestUser who, Guid id) =>
        app.Client(who).PostAsync($"/api/chat/{id}/claim", null, Ct);

    public static Task<HttpResponseMessage> AssignAsync(this MedChatApp app, TestUser who, Guid id, Guid? staffId) =>
        app.Client(who).PutAsJsonAsync($"/api/chat/{id}/assignee", new { staffId }, HttpAssertions.JsonOptions, Ct);

    public static async Task<ConversationDto> StartedAsync(this MedChatApp app, TestUser patient, string? title = null) =>
        await app.StartAsync(patient, new { title }).ReadAsync<ConversationDto>(HttpStatusCode.Created);

    /// <summary>The conversation as an admin sees it now: the ground truth for "nothing changed".</summary>
    public static async Task<ConversationDto> ReadAsAdminAsync(this MedChatApp app, Cast cast, Guid id) =>
        await app.GetConversationAsync(cast.Admin, id).ReadAsync<ConversationDto>(HttpStatusCode.OK);

    public static async Task<Page<ConversationDto>> PageAsync(this MedChatApp app, TestUser who, string query = "") =>
        await app.ListAsync(who, query).ReadAsync<Page<ConversationDto>>(HttpStatusCode.OK);

    public static async Task<ConversationDto> StageAsync(this MedChatApp app, Cast cast, Stage stage)
    {
        var c = await app.StartedAsync(cast.Patient);
        switch (stage)
        {
            case Stage.Queued:
                c = await Step(app.PatchAsync(cast.Patient, c.Id, new { status = "awaiting_staff" }));
                break;
            case Stage.Held:
                c = await Step(app.PatchAsync(cast.Patient, c.Id, new { status = "awaiting_staff" }));
                c = await Step(app.ClaimAsync(cast.Staff, c.Id));
                break;
            case Stage.OpenHeld:
                c = await Step(app.AssignAsync(cast.Admin, c.Id, cast.Staff.Id));
                break;
            case Stage.Resolved:
                c = await Step(app.PatchAsync(cast.Patient, c.Id, new { status = "resolved" }));
                break;
            case Stage.ResolvedHeld:
                c = await Step(app.PatchAsync(cast.Patient, c.Id, new { status = "awaiting_staff" }));
                c = await Step(app.ClaimAsync(cast.Staff, c.Id));
                c = await Step(app.PatchAsync(cast.Staff, c.Id, new { status = "resolved" }));
                break;
            case Stage.Archived:
                c = await Step(app.PatchAsync(cast.Admin, c.Id, new { status = "archived" }));
                break;
            case Stage.ArchivedHeld:
                c = await Step(app.PatchAsync(cast.Patient, c.Id, new { status = "awaiting_staff" }));
                c = await Step(app.ClaimAsync(cast.Staff, c.Id));
                c = await Step(app.PatchAsync(cast.Admin, c.Id, new { status = "archived" }));
                break;
            case Stage.Open:
            default:
                break;
        }
        var (status, held) = Expected(stage);
        Assert.Equal(status, c.Status);
        Assert.Equal(held ? cast.Staff.Id : null, c.AssignedStaffId);
        return c;
    }

    private static (ConversationStatus Status, bool Held) Expected(Stage stage) => stage switch
    {
        Stage.Open => (ConversationStatus.Open, false),
        Stage.Queued => (ConversationStatus.AwaitingStaff, false),
        Stage.Held => (ConversationStatus.AwaitingStaff, true),
        Stage.OpenHeld => (ConversationStatus.Open, true),
        Stage.Resolved => (ConversationStatus.Resolved, false),
        Stage.ResolvedHeld => (ConversationStatus.Resolved, true),
        Stage.Archived => (ConversationStatus.Archived, false),
        _ => (ConversationStatus.Archived, true),
    };

    private static Task<ConversationDto> Step(Task<HttpResponseMessage> call) => call.ReadAsync<ConversationDto>(HttpStatusCode.OK);
}
