using MedChat.Api.Realtime;
using MedChat.Tests.Conversations;
using Microsoft.AspNetCore.SignalR.Client;

namespace MedChat.Tests.Realtime;

public sealed class AssignmentEventTests(MedChatApp app) : ApiTest(app)
{
    private static async Task<(HubConnection, HubRecorder)> ConnectAsync(MedChatApp app, TestUser user)
    {
        var hub = app.Hub(user);
        var events = new HubRecorder(hub);
        await hub.StartReadyAsync(Ct);
        return (hub, events);
    }

    [Fact]
    public async Task AnAdminJoinedToAConversationAndThenAssignedToItGetsConversationUpdatedOnce()
    {
        var cast = await Cast.CreateAsync(App);
        var c = await App.StartedAsync(cast.Patient);
        var (adminHub, adminEvents) = await ConnectAsync(App, cast.Admin);
        await using var _ = adminHub;
        await adminHub.InvokeAsync<JoinResult>("JoinConversation", c.Id, 0L, Ct);
        var (patientHub, patientEvents) = await ConnectAsync(App, cast.Patient);
        await using var __ = patientHub;
        await patientHub.InvokeAsync<JoinResult>("JoinConversation", c.Id, 0L, Ct);

        await App.AssignAsync(cast.Admin, c.Id, cast.Admin.Id).ReadAsync<ConversationDto>(HttpStatusCode.OK);

        await adminEvents.WaitForAsync<ConversationDto>("ConversationUpdated", match: u => u.AssignedStaffId == cast.Admin.Id);
        await patientEvents.WaitForAsync<ConversationDto>("ConversationUpdated", match: u => u.AssignedStaffId == cast.Admin.Id);
        // A marker event sent after the update: once it arrives, any duplicate would have too.
        await patientHub.InvokeAsync<MessageDto>("SendMessage", c.Id, "marker", "marker", Ct);
        await adminEvents.WaitForAsync<MessageDto>("MessageCreated");
        Assert.Single(adminEvents.All<ConversationDto>("ConversationUpdated"));
        Assert.Single(patientEvents.All<ConversationDto>("ConversationUpdated"));
    }

    [Fact]
    public async Task AStaffMemberAssignedWithoutJoiningStillHearsOfIt()
    {
        var cast = await Cast.CreateAsync(App);
        var c = await App.StartedAsync(cast.Patient);
        var (staffHub, staffEvents) = await ConnectAsync(App, cast.Staff);
        await using var _ = staffHub;

        await App.AssignAsync(cast.Admin, c.Id, cast.Staff.Id).ReadAsync<ConversationDto>(HttpStatusCode.OK);

        var updated = await staffEvents.WaitForAsync<ConversationDto>("ConversationUpdated");
        Assert.Equal(cast.Staff.Id, updated.Single().AssignedStaffId);
    }
}
