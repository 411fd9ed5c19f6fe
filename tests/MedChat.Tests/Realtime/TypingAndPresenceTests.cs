using MedChat.Api.Realtime;
using MedChat.Tests.Messages;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace MedChat.Tests.Realtime;

/// <summary>The app with a clock the tests move: typing expiry is tested without sleeping.</summary>
public sealed class FakeClockApp : MedChatApp
{
    public FakeTimeProvider Clock { get; } = new(DateTimeOffset.UtcNow);

    protected override void Configure(IWebHostBuilder builder) =>
        builder.ConfigureTestServices(s => s.AddSingleton<TimeProvider>(Clock));
}

public sealed class TypingAndPresenceTests(FakeClockApp app) : IClassFixture<FakeClockApp>, IAsyncLifetime
{
    private readonly List<HubConnection> _hubs = [];
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => await app.ResetAsync();

    public async ValueTask DisposeAsync()
    {
        foreach (var h in _hubs) await h.DisposeAsync();
    }

    private async Task<(HubConnection Hub, HubRecorder Events)> ConnectAsync(TestUser user)
    {
        var hub = app.Hub(user);
        var events = new HubRecorder(hub);
        _hubs.Add(hub);
        await hub.StartReadyAsync(Ct);
        return (hub, events);
    }

    /// <summary>A patient's conversation held by a nurse, with both joined.</summary>
    private async Task<(Guid Conversation, HubConnection Patient, HubRecorder PatientEvents, HubConnection Nurse, HubRecorder NurseEvents, TestUser P, TestUser N)> PairAsync()
    {
        var p = await app.UserAsync();
        var n = await app.UserAsync(Role.Staff);
        var c = await app.StartHeldConversationAsync(p, n);
        var (ph, pe) = await ConnectAsync(p);
        var (nh, ne) = await ConnectAsync(n);
        await ph.InvokeAsync<JoinResult>("JoinConversation", c.Id, 0L, Ct);
        await nh.InvokeAsync<JoinResult>("JoinConversation", c.Id, 0L, Ct);
        return (c.Id, ph, pe, nh, ne, p, n);
    }

    [Fact]
    public async Task TypingIsBroadcastOnceWithinTwoSecondsAndExpiresSixSecondsAfterTheLastKeystroke()
    {
        var (c, patient, _, _, nurseEvents, p, _) = await PairAsync();

        await patient.InvokeAsync("Typing", c, true, Ct);
        var started = await nurseEvents.WaitForAsync<TypingChanged>("TypingChanged");
        Assert.Equal(new TypingChanged(c, p.Id, Role.Patient, true), started.Single());

        app.Clock.Advance(TimeSpan.FromSeconds(1));
        await patient.InvokeAsync("Typing", c, true, Ct);
        app.Clock.Advance(TimeSpan.FromSeconds(1.5));
        await patient.InvokeAsync("Typing", c, true, Ct);
        await nurseEvents.WaitForAsync<TypingChanged>("TypingChanged", 2);
        Assert.All(nurseEvents.All<TypingChanged>("TypingChanged"), t => Assert.True(t.IsTyping));

        // 5.9 s after the last "typing" nothing has changed; at 6 s the server says it stopped.
        app.Clock.Advance(TimeSpan.FromSeconds(5.9));
        await Task.Delay(200, Ct);
        Assert.Equal(2, nurseEvents.All("TypingChanged").Count);
        app.Clock.Advance(TimeSpan.FromSeconds(0.2));
        var all = await nurseEvents.WaitForAsync<TypingChanged>("TypingChanged", 3);
        Assert.False(all[2].IsTyping);
        Assert.Equal(p.Id, all[2].UserId);
    }

    [Fact]
    public async Task TypingStopsWhenTheTypistsLastConnectionCloses()
    {
        var (c, patient, _, _, nurseEvents, p, _) = await PairAsync();
        var (second, _) = await ConnectAsync(p);
        await second.InvokeAsync<JoinResult>("JoinConversation", c, 0L, Ct);

        await patient.InvokeAsync("Typing", c, true, Ct);
        await nurseEvents.WaitForAsync<TypingChanged>("TypingChanged");
        await second.StopAsync(Ct);
        await Task.Delay(300, Ct);
        Assert.Single(nurseEvents.All("TypingChanged"));

        await patient.StopAsync(Ct);
        var events = await nurseEvents.WaitForAsync<TypingChanged>("TypingChanged", 2);
        Assert.False(events[1].IsTyping);
    }

    [Fact]
    public async Task TypingInAConversationNotJoinedIsRefused()
    {
        var p = await app.UserAsync();
        var other = await app.UserAsync();
        var c = await app.Client(other).PostJsonAsync("/api/chat/conversations", new { }).ReadAsync<ConversationDto>(HttpStatusCode.Created);
        var (hub, _) = await ConnectAsync(p);

        var error = await Assert.ThrowsAsync<Microsoft.AspNetCore.SignalR.HubException>(() => hub.InvokeAsync("Typing", c.Id, true, Ct));
        Assert.Contains("not found", error.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task AUserStaysOnlineWhileAnyConnectionIsOpenAndGoesOfflineWithLastSeenWhenTheLastCloses()
    {
        var (c, patientHub, _, nurseHub, _, p, n) = await PairAsync();
        var (_, watcherEvents) = await ConnectAsync(await app.UserAsync(Role.Staff));
        var (second, _) = await ConnectAsync(n);

        await nurseHub.StopAsync(Ct);
        await Task.Delay(300, Ct);
        Assert.DoesNotContain(watcherEvents.All<PresenceChanged>("PresenceChanged"), e => e.UserId == n.Id && !e.Online);
        var presence = await patientHub.InvokeAsync<List<PresenceDto>>("GetPresence", c, Ct);
        Assert.Contains(presence, x => x.UserId == n.Id && x.Online);

        await second.StopAsync(Ct);
        var offline = await watcherEvents.WaitForAsync<PresenceChanged>("PresenceChanged", match: e => e.UserId == n.Id && !e.Online);
        Assert.Equal(Role.Staff, offline.Single().Role);
        Assert.NotNull(offline.Single().LastSeenAt);

        var (patientAgain, _) = await ConnectAsync(p);
        presence = await patientAgain.InvokeAsync<List<PresenceDto>>("GetPresence", c, Ct);
        var nurse = Assert.Single(presence, x => x.UserId == n.Id);
        Assert.False(nurse.Online);
        Assert.NotNull(nurse.LastSeenAt);
        Assert.Contains(presence, x => x.UserId == p.Id && x.Online);
    }

    [Fact]
    public async Task PresenceReachesThoseWhoShareAConversationAndStaffButNotOtherPatients()
    {
        var (_, _, patientEvents, _, _, _, _) = await PairAsync();
        var stranger = await app.UserAsync();
        var (_, strangerEvents) = await ConnectAsync(stranger);
        var nurse2 = await app.UserAsync(Role.Staff);
        var (_, staffEvents) = await ConnectAsync(await app.UserAsync(Role.Staff));

        // The pair's nurse reconnecting is seen by her patient; a second nurse coming online is seen by staff only.
        var (_, _) = await ConnectAsync(nurse2);
        await staffEvents.WaitForAsync<PresenceChanged>("PresenceChanged", match: e => e.UserId == nurse2.Id && e.Online);
        await Task.Delay(300, Ct);
        Assert.DoesNotContain(patientEvents.All<PresenceChanged>("PresenceChanged"), e => e.UserId == nurse2.Id);
        Assert.DoesNotContain(strangerEvents.All<PresenceChanged>("PresenceChanged"), e => e.UserId == nurse2.Id);
    }

    [Fact]
    public async Task APatientSeesTheirNurseComeOnline()
    {
        var p = await app.UserAsync();
        var n = await app.UserAsync(Role.Staff);
        var c = await app.StartHeldConversationAsync(p, n);
        var (_, patientEvents) = await ConnectAsync(p);

        await ConnectAsync(n);

        var online = await patientEvents.WaitForAsync<PresenceChanged>("PresenceChanged", match: e => e.UserId == n.Id);
        Assert.True(online.Single().Online);
        await Task.Delay(300, Ct);
        Assert.Single(patientEvents.All<PresenceChanged>("PresenceChanged"), e => e.UserId == n.Id);
    }
}
