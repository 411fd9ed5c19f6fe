using MedChat.Tests.Messages;

namespace MedChat.Tests.Conversations;

/// <summary>Staff and admin access to a conversation leaves a row in audit_log; a patient reading their own does not, their writes do.</summary>
public sealed class AuditTests(MedChatApp app) : ApiTest(app)
{
    [Theory]
    [InlineData(Role.Staff)]
    [InlineData(Role.Admin)]
    public async Task AStaffOrAdminReadOfAConversationIsAudited(Role role)
    {
        var cast = await Cast.CreateAsync(App);
        var c = await App.StageAsync(cast, Stage.Held);
        var reader = cast.As(role);
        var before = await ReadsAsync(reader, c.Id);

        await App.GetConversationAsync(reader, c.Id).ReadAsync<ConversationDto>(HttpStatusCode.OK);

        Assert.Equal(before + 1, await ReadsAsync(reader, c.Id));
        Assert.Equal(role.ToString().ToLowerInvariant(), await App.ScalarAsOwnerAsync<string>(
            "SELECT actor_role FROM audit_log WHERE actor_id = $1 AND conversation_id = $2 AND action = 'conversation.read' ORDER BY id DESC LIMIT 1", reader.Id, c.Id));
    }

    [Fact]
    public async Task APatientReadingTheirOwnConversationIsNotAuditedButTheirWritesAre()
    {
        var cast = await Cast.CreateAsync(App);
        var c = await App.StartedAsync(cast.Patient);

        await App.GetConversationAsync(cast.Patient, c.Id).ReadAsync<ConversationDto>(HttpStatusCode.OK);
        await App.PatchAsync(cast.Patient, c.Id, new { status = "resolved" }).ReadAsync<ConversationDto>(HttpStatusCode.OK);

        Assert.Equal(0L, await App.ScalarAsOwnerAsync<long>("SELECT count(*) FROM audit_log WHERE conversation_id = $1 AND action LIKE '%.read'", c.Id));
        Assert.Equal(1L, await App.ScalarAsOwnerAsync<long>(
            "SELECT count(*) FROM audit_log WHERE conversation_id = $1 AND actor_id = $2 AND action = 'conversation.create'", c.Id, cast.Patient.Id));
        Assert.Equal(1L, await App.ScalarAsOwnerAsync<long>(
            "SELECT count(*) FROM audit_log WHERE conversation_id = $1 AND actor_id = $2 AND action = 'conversation.status'", c.Id, cast.Patient.Id));
    }

    [Fact]
    public async Task EverySendIsAuditedOnceInTheSameStatementWithItsRequestAndARetryIsNot()
    {
        var cast = await Cast.CreateAsync(App);
        var c = await App.StageAsync(cast, Stage.Held);
        var before = await SendsAsync(c.Id);

        await App.Client(cast.Staff).SendAsync(c.Id, "On my way.", "s-1").ReadAsync<MessageDto>(HttpStatusCode.Created);
        await App.Client(cast.Patient).SendAsync(c.Id, "Thanks.", "p-1").ReadAsync<MessageDto>(HttpStatusCode.Created);
        // A retry answers with the original and records no second send.
        await App.Client(cast.Staff).SendAsync(c.Id, "On my way.", "s-1").ReadAsync<MessageDto>(HttpStatusCode.OK);
        await App.Client(cast.Patient).SendAsync(c.Id, "Thanks.", "p-1").ReadAsync<MessageDto>(HttpStatusCode.OK);

        Assert.Equal(before + 2, await SendsAsync(c.Id));
        foreach (var (who, role) in new[] { (cast.Staff, "staff"), (cast.Patient, "patient") })
        {
            // In the actor's own name and role, with the request it came from.
            Assert.Equal(1L, await App.ScalarAsOwnerAsync<long>(
                "SELECT count(*) FROM audit_log WHERE actor_id = $1 AND conversation_id = $2 AND action = 'message.create' AND actor_role = $3 AND outcome = 'ok' AND request_id IS NOT NULL",
                who.Id, c.Id, role));
        }
    }

    private Task<long> SendsAsync(Guid conversation) =>
        App.ScalarAsOwnerAsync<long>("SELECT count(*) FROM audit_log WHERE action = 'message.create' AND conversation_id = $1", conversation);

    [Fact]
    public async Task AStaffClaimIsAudited()
    {
        var cast = await Cast.CreateAsync(App);
        var c = await App.StageAsync(cast, Stage.Queued);

        await App.ClaimAsync(cast.OtherStaff, c.Id).ReadAsync<ConversationDto>(HttpStatusCode.OK);

        Assert.Equal(1L, await App.ScalarAsOwnerAsync<long>(
            "SELECT count(*) FROM audit_log WHERE actor_id = $1 AND conversation_id = $2 AND action = 'conversation.claim'", cast.OtherStaff.Id, c.Id));
    }

    [Fact]
    public async Task ARefusedStaffReadIsAuditedAsDeniedOnlyWhenTheConversationExists()
    {
        var cast = await Cast.CreateAsync(App);
        var c = await App.StageAsync(cast, Stage.Held);

        await App.GetConversationAsync(cast.OtherStaff, c.Id).ProblemAsync(HttpStatusCode.NotFound);
        await App.GetConversationAsync(cast.OtherStaff, Guid.CreateVersion7()).ProblemAsync(HttpStatusCode.NotFound);

        Assert.Equal(1L, await App.ScalarAsOwnerAsync<long>("SELECT count(*) FROM audit_log WHERE actor_id = $1", cast.OtherStaff.Id));
        Assert.Equal("denied", await App.ScalarAsOwnerAsync<string>(
            "SELECT outcome FROM audit_log WHERE actor_id = $1 AND conversation_id = $2 AND action = 'conversation.access'", cast.OtherStaff.Id, c.Id));
    }

    private Task<long> ReadsAsync(TestUser actor, Guid conversation) => App.ScalarAsOwnerAsync<long>(
        "SELECT count(*) FROM audit_log WHERE actor_id = $1 AND conversation_id = $2 AND action = 'conversation.read'", actor.Id, conversation);
}
