namespace MedChat.Tests.Identity;

public sealed class IdentityTests(MedChatApp app) : ApiTest(app)
{
    [Fact]
    public async Task FirstSeenSubjectBecomesAPatientWithTheTokensName()
    {
        var id = Guid.NewGuid();
        var me = await App.Client(App.Token(id, "Jo Bloggs")).GetAsync("/api/me", Ct).ReadAsync<MeDto>(HttpStatusCode.OK);
        Assert.Equal(new MeDto(id, Role.Patient, "Jo Bloggs"), me);
    }

    [Fact]
    public async Task BootstrapAdminIsAnAdminOnFirstSight()
    {
        var me = await App.Client(App.Token(MedChatApp.BootstrapAdmin)).GetAsync("/api/me", Ct).ReadAsync<MeDto>(HttpStatusCode.OK);
        Assert.Equal(Role.Admin, me.Role);
    }
}
