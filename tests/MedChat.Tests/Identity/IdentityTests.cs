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

    [Theory]
    [InlineData(Role.Patient)]
    [InlineData(Role.Staff)]
    [InlineData(Role.Admin)]
    public async Task MeReportsTheRoleTheDatabaseHolds(Role role)
    {
        var user = await App.UserAsync(role, "Sam");

        var me = await App.Client(user).GetAsync("/api/me", Ct).ReadAsync<MeDto>(HttpStatusCode.OK);

        Assert.Equal(new MeDto(user.Id, role, "Sam"), me);
    }

    [Fact]
    public async Task MeIsCamelCaseWithALowerCaseRole()
    {
        var user = await App.UserAsync(Role.Staff, "Sam");

        var json = await App.Client(user).GetAsync("/api/me", Ct).ReadAsync<System.Text.Json.JsonElement>(HttpStatusCode.OK);

        Assert.Equal(user.Id, json.GetProperty("id").GetGuid());
        Assert.Equal("staff", json.GetProperty("role").GetString());
        Assert.Equal("Sam", json.GetProperty("displayName").GetString());
    }

    [Fact]
    public async Task ASecondVisitDoesNotCreateASecondUser()
    {
        var id = Guid.NewGuid();
        var client = App.Client(App.Token(id, "Jo"));

        await client.GetAsync("/api/me", Ct).ReadAsync<MeDto>(HttpStatusCode.OK);
        await client.GetAsync("/api/me", Ct).ReadAsync<MeDto>(HttpStatusCode.OK);

        Assert.Equal(1L, await App.ScalarAsOwnerAsync<long>("SELECT count(*) FROM users WHERE id = $1", id));
    }

    [Fact]
    public async Task MeRequiresAToken()
    {
        await App.Client((string?)null).GetAsync("/api/me", Ct).ProblemAsync(HttpStatusCode.Unauthorized);
    }
}
