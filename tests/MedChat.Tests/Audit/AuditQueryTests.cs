using System.Net.Http.Headers;
using System.Text.Json;
using MedChat.Api.Audit;
using MedChat.Tests.Conversations;
using MedChat.Tests.Messages;

namespace MedChat.Tests.Audit;

/// <summary>"Who read this conversation?" answered from the API: the admin's audit query and the patient's access log.</summary>
public sealed class AuditQueryTests(MedChatApp app) : ApiTest(app)
{
    [Fact]
    public async Task AnAdminSeesWhoReadAConversationWithRequestIdAndAddressButNoContent()
    {
        var cast = await Cast.CreateAsync(App);
        var c = await App.StageAsync(cast, Stage.Held);
        await App.Client(cast.Patient).PostAsync(c.Id, "my private symptom text");
        await App.Client(cast.Staff).MessagesAsync(c.Id);

        var response = await App.Client(cast.Admin).GetAsync($"/api/admin/audit?conversationId={c.Id}", Ct);
        var body = await response.Content.ReadAsStringAsync(Ct);
        var page = JsonSerializer.Deserialize<Page<AuditEventDto>>(body, HttpAssertions.JsonOptions)!;

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.DoesNotContain("private symptom", body, StringComparison.Ordinal);
        var read = Assert.Single(page.Items, e => e.Action == "messages.read");
        Assert.Equal(cast.Staff.Id, read.ActorId);
        Assert.Equal(Role.Staff, read.ActorRole);
        Assert.Equal("ok", read.Outcome);
        Assert.False(string.IsNullOrEmpty(read.RequestId));
        Assert.Equal("127.0.0.1", read.ClientAddress);
        Assert.Contains(page.Items, e => e.Action == "message.create" && e.ActorId == cast.Patient.Id);
        Assert.Contains(page.Items, e => e.Action == "conversation.claim" && e.ActorId == cast.Staff.Id);
        Assert.All(page.Items, e => Assert.Equal(c.Id, e.ConversationId));
        Assert.Equal(page.Items.OrderByDescending(e => e.At).ThenByDescending(e => e.Id), page.Items);
    }

    [Fact]
    public async Task TheAuditQueryFiltersByActorAndActionAndPagesWithoutGapsOrRepeats()
    {
        var cast = await Cast.CreateAsync(App);
        var c = await App.StageAsync(cast, Stage.Held);
        for (var i = 0; i < 5; i++) await App.GetConversationAsync(cast.Staff, c.Id).ReadAsync<ConversationDto>(HttpStatusCode.OK);
        var admin = App.Client(cast.Admin);

        var seen = new List<AuditEventDto>();
        string? cursor = null;
        do
        {
            var url = $"/api/admin/audit?actorId={cast.Staff.Id}&action=conversation.read&limit=2" + (cursor is null ? "" : $"&cursor={cursor}");
            var page = await admin.GetAsync(url, Ct).ReadAsync<Page<AuditEventDto>>(HttpStatusCode.OK);
            Assert.True(page.Items.Count <= 2);
            seen.AddRange(page.Items);
            cursor = page.NextCursor;
        } while (cursor is not null);

        Assert.Equal(5, seen.Count);
        Assert.Equal(5, seen.Select(e => e.Id).Distinct().Count());
        Assert.All(seen, e => Assert.Equal("conversation.read", e.Action));
        Assert.Equal(seen.OrderByDescending(e => e.At).ThenByDescending(e => e.Id), seen);

        var future = Uri.EscapeDataString(DateTimeOffset.UtcNow.AddDays(1).ToString("O"));
        Assert.Empty((await admin.GetAsync($"/api/admin/audit?actorId={cast.Staff.Id}&from={future}", Ct)
            .ReadAsync<Page<AuditEventDto>>(HttpStatusCode.OK)).Items);
    }

    [Theory]
    [InlineData("limit=0", "limit")]
    [InlineData("limit=101", "limit")]
    [InlineData("cursor=not-a-cursor", "cursor")]
    [InlineData("conversationId=nope", "conversationId")]
    public async Task BadAuditQueriesAre400(string query, string field)
    {
        var admin = await App.UserAsync(Role.Admin);
        await App.Client(admin).GetAsync($"/api/admin/audit?{query}", Ct).ProblemAsync(HttpStatusCode.BadRequest, field);
    }

    [Theory]
    [InlineData(Role.Patient)]
    [InlineData(Role.Staff)]
    public async Task OnlyAdminsQueryTheAuditLogAndTheRefusalIsItselfAudited(Role role)
    {
        var user = await App.UserAsync(role);

        await App.Client(user).GetAsync("/api/admin/audit", Ct).ProblemAsync(HttpStatusCode.Forbidden);

        Assert.Equal("denied", await App.ScalarAsOwnerAsync<string>("SELECT outcome FROM audit_log WHERE actor_id = $1", user.Id));
    }

    [Fact]
    public async Task AFailedSignInIsRecordedWithoutAnActor()
    {
        var client = App.Client((string?)null);
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "not.a.token");

        await client.GetAsync("/api/me", Ct).ProblemAsync(HttpStatusCode.Unauthorized);

        Assert.Equal(1L, await App.ScalarAsOwnerAsync<long>(
            "SELECT count(*) FROM audit_log WHERE action = 'auth.failed' AND outcome = 'failed' AND actor_id IS NULL AND client_address = '127.0.0.1'"));
    }

    [Fact]
    public async Task APatientSeesWhichStaffOpenedTheirConversationsAndNobodyElseSeesIt()
    {
        var cast = await Cast.CreateAsync(App);
        var nurse = await App.UserAsync(Role.Staff, "Nurse Ratched");
        var c = await App.StartedAsync(cast.Patient);
        await App.PatchAsync(cast.Patient, c.Id, new { status = "awaiting_staff" }).ReadAsync<ConversationDto>(HttpStatusCode.OK);
        await App.ClaimAsync(nurse, c.Id).ReadAsync<ConversationDto>(HttpStatusCode.OK);
        await App.Client(nurse).MessagesAsync(c.Id);
        await App.GetConversationAsync(cast.Admin, c.Id).ReadAsync<ConversationDto>(HttpStatusCode.OK);
        await App.Client(cast.Patient).MessagesAsync(c.Id);

        var log = await App.Client(cast.Patient).GetAsync("/api/me/access-log", Ct).ReadAsync<Page<AccessLogEntryDto>>(HttpStatusCode.OK);

        Assert.Contains(log.Items, e => e.ActorId == nurse.Id && e.ActorName == "Nurse Ratched" && e.Action == "messages.read" && e.ConversationId == c.Id);
        Assert.Contains(log.Items, e => e.ActorId == nurse.Id && e.Action == "conversation.claim");
        Assert.Contains(log.Items, e => e.ActorId == cast.Admin.Id && e.ActorRole == Role.Admin && e.Action == "conversation.read");
        Assert.DoesNotContain(log.Items, e => e.ActorId == cast.Patient.Id);
        Assert.Equal(log.Items.OrderByDescending(e => e.At), log.Items);

        var stranger = await App.Client(cast.OtherPatient).GetAsync("/api/me/access-log", Ct).ReadAsync<Page<AccessLogEntryDto>>(HttpStatusCode.OK);
        Assert.Empty(stranger.Items);
    }

    [Fact]
    public async Task TheAccessLogPagesWithACursor()
    {
        var cast = await Cast.CreateAsync(App);
        var c = await App.StageAsync(cast, Stage.Held);
        for (var i = 0; i < 3; i++) await App.Client(cast.Staff).MessagesAsync(c.Id);

        var first = await App.Client(cast.Patient).GetAsync("/api/me/access-log?limit=2", Ct).ReadAsync<Page<AccessLogEntryDto>>(HttpStatusCode.OK);
        Assert.Equal(2, first.Items.Count);
        Assert.NotNull(first.NextCursor);
        var second = await App.Client(cast.Patient).GetAsync($"/api/me/access-log?limit=2&cursor={first.NextCursor}", Ct)
            .ReadAsync<Page<AccessLogEntryDto>>(HttpStatusCode.OK);
        // Claim plus three reads: four entries over two pages, none repeated.
        Assert.Equal(2, second.Items.Count);
        Assert.True(second.Items[0].At <= first.Items[^1].At);
    }
}
