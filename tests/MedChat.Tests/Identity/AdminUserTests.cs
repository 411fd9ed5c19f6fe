using System.Text.Json;

namespace MedChat.Tests.Identity;

/// <summary>PUT /api/admin/users/{id}: admins set roles (taking effect on the next request) and pre-provision staff.</summary>
public sealed class AdminUserTests(MedChatApp app) : ApiTest(app)
{
    [Fact]
    public async Task AdminPreProvisionsASubjectNeverSeenAsStaff()
    {
        var admin = await App.UserAsync(Role.Admin);
        var subject = Guid.NewGuid();

        var created = await PutAsync(admin, subject, new { role = "staff", displayName = "Nurse Sam" }).ReadAsync<MeDto>(HttpStatusCode.OK);
        var me = await App.Client(App.Token(subject)).GetAsync("/api/me", Ct).ReadAsync<MeDto>(HttpStatusCode.OK);

        Assert.Equal(new MeDto(subject, Role.Staff, "Nurse Sam"), created);
        Assert.Equal(created, me);
    }

    [Fact]
    public async Task APreProvisionedStaffMemberCanWorkTheQueueOnTheirFirstRequest()
    {
        var admin = await App.UserAsync(Role.Admin);
        var subject = Guid.NewGuid();
        await PutAsync(admin, subject, new { role = "staff" }).ReadAsync<MeDto>(HttpStatusCode.OK);

        var queue = await App.Client(App.Token(subject, "Sam")).GetAsync("/api/chat/conversations?scope=queue", Ct);

        Assert.Equal(HttpStatusCode.OK, queue.StatusCode);
    }

    [Fact]
    public async Task APromotionTakesEffectOnTheVeryNextRequest()
    {
        var admin = await App.UserAsync(Role.Admin);
        var patient = await App.UserAsync(Role.Patient, "Robin");
        var client = App.Client(patient);
        await client.GetAsync("/api/chat/conversations?scope=queue", Ct).ProblemAsync(HttpStatusCode.Forbidden);

        var promoted = await PutAsync(admin, patient.Id, new { role = "staff" }).ReadAsync<MeDto>(HttpStatusCode.OK);

        Assert.Equal(new MeDto(patient.Id, Role.Staff, "Robin"), promoted);
        Assert.Equal(Role.Staff, (await client.GetAsync("/api/me", Ct).ReadAsync<MeDto>(HttpStatusCode.OK)).Role);
        await client.GetAsync("/api/chat/conversations?scope=queue", Ct).ReadAsync<JsonElement>(HttpStatusCode.OK);
    }

    [Fact]
    public async Task ADemotionTakesEffectOnTheVeryNextRequest()
    {
        var admin = await App.UserAsync(Role.Admin);
        var staff = await App.UserAsync(Role.Staff);
        var client = App.Client(staff);
        await client.GetAsync("/api/chat/conversations?scope=queue", Ct).ReadAsync<JsonElement>(HttpStatusCode.OK);

        await PutAsync(admin, staff.Id, new { role = "patient" }).ReadAsync<MeDto>(HttpStatusCode.OK);

        Assert.Equal(Role.Patient, (await client.GetAsync("/api/me", Ct).ReadAsync<MeDto>(HttpStatusCode.OK)).Role);
        await client.GetAsync("/api/chat/conversations?scope=queue", Ct).ProblemAsync(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task AnAdminMadeAdminCanUseAdminRoutes()
    {
        var admin = await App.UserAsync(Role.Admin);
        var staff = await App.UserAsync(Role.Staff);
        await PutAsync(staff, Guid.NewGuid(), new { role = "staff" }).ProblemAsync(HttpStatusCode.Forbidden);

        await PutAsync(admin, staff.Id, new { role = "admin" }).ReadAsync<MeDto>(HttpStatusCode.OK);

        await PutAsync(staff, Guid.NewGuid(), new { role = "staff" }).ReadAsync<MeDto>(HttpStatusCode.OK);
    }

    [Fact]
    public async Task LeavingOutDisplayNameKeepsTheOldOne()
    {
        var admin = await App.UserAsync(Role.Admin);
        var user = await App.UserAsync(Role.Patient, "Robin");

        var updated = await PutAsync(admin, user.Id, new { role = "staff" }).ReadAsync<MeDto>(HttpStatusCode.OK);

        Assert.Equal("Robin", updated.DisplayName);
    }

    [Fact]
    public async Task AdminRenamesAUser()
    {
        var admin = await App.UserAsync(Role.Admin);
        var user = await App.UserAsync(Role.Patient, "Robin");

        await PutAsync(admin, user.Id, new { role = "patient", displayName = "Robin B." }).ReadAsync<MeDto>(HttpStatusCode.OK);

        Assert.Equal(new MeDto(user.Id, Role.Patient, "Robin B."), await App.Client(user).GetAsync("/api/me", Ct).ReadAsync<MeDto>(HttpStatusCode.OK));
    }

    [Theory]
    [InlineData(Role.Patient)]
    [InlineData(Role.Staff)]
    public async Task OnlyAdminsChangeUsers(Role role)
    {
        var caller = await App.UserAsync(role);
        var target = await App.UserAsync(Role.Patient, "Robin");
        var neverSeen = Guid.NewGuid();

        await PutAsync(caller, target.Id, new { role = "admin" }).ProblemAsync(HttpStatusCode.Forbidden);
        await PutAsync(caller, caller.Id, new { role = "admin" }).ProblemAsync(HttpStatusCode.Forbidden);
        await PutAsync(caller, neverSeen, new { role = "staff" }).ProblemAsync(HttpStatusCode.Forbidden);

        Assert.Equal(new MeDto(target.Id, Role.Patient, "Robin"), await App.Client(target).GetAsync("/api/me", Ct).ReadAsync<MeDto>(HttpStatusCode.OK));
        Assert.Equal(role, (await App.Client(caller).GetAsync("/api/me", Ct).ReadAsync<MeDto>(HttpStatusCode.OK)).Role);
        Assert.Equal(0L, await App.ScalarAsOwnerAsync<long>("SELECT count(*) FROM users WHERE id = $1", neverSeen));
    }

    [Fact]
    public async Task AMissingRoleIsABadRequestNamingRole()
    {
        var admin = await App.UserAsync(Role.Admin);
        var user = await App.UserAsync(Role.Patient);

        await PutAsync(admin, user.Id, new { displayName = "Robin" }).ProblemAsync(HttpStatusCode.BadRequest, "role");

        Assert.Equal(Role.Patient, (await App.Client(user).GetAsync("/api/me", Ct).ReadAsync<MeDto>(HttpStatusCode.OK)).Role);
    }

    [Theory]
    [InlineData("superuser")]
    [InlineData("")]
    public async Task AnUnknownRoleIsABadRequestNamingRole(string role)
    {
        var admin = await App.UserAsync(Role.Admin);
        var user = await App.UserAsync(Role.Patient);

        var problem = await PutAsync(admin, user.Id, new { role }).ProblemAsync(HttpStatusCode.BadRequest);

        Assert.Contains(problem.GetProperty("errors").EnumerateObject(), e => e.Name is "role" or "$.role");
        Assert.Equal(Role.Patient, (await App.Client(user).GetAsync("/api/me", Ct).ReadAsync<MeDto>(HttpStatusCode.OK)).Role);
    }

    [Fact]
    public async Task ADisplayNameOverTwoHundredCharactersIsABadRequestNamingIt()
    {
        var admin = await App.UserAsync(Role.Admin);

        await PutAsync(admin, Guid.NewGuid(), new { role = "staff", displayName = new string('n', 201) }).ProblemAsync(HttpStatusCode.BadRequest, "displayName");
    }

    [Fact]
    public async Task AUserIdThatIsNotAUuidIsABadRequestNamingIt()
    {
        var admin = await App.UserAsync(Role.Admin);

        await App.Client(admin).PutAsJsonAsync("/api/admin/users/42", new { role = "staff" }, HttpAssertions.JsonOptions, Ct)
            .ProblemAsync(HttpStatusCode.BadRequest, "id");
    }

    private Task<HttpResponseMessage> PutAsync(TestUser caller, Guid id, object body) =>
        App.Client(caller).PutAsJsonAsync($"/api/admin/users/{id}", body, HttpAssertions.JsonOptions, Ct);
}
