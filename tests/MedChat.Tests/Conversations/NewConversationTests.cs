using System.Text.Json;

namespace MedChat.Tests.Conversations;

public sealed class NewConversationTests(MedChatApp app) : ApiTest(app)
{
    [Fact]
    public async Task ANewConversationIsOpenRoutineUntitledAndEmpty()
    {
        var patient = await App.UserAsync();

        var response = await App.StartAsync(patient);
        var c = await response.ReadAsync<ConversationDto>(HttpStatusCode.Created);

        Assert.Equal(patient.Id, c.PatientId);
        Assert.Null(c.AssignedStaffId);
        Assert.Null(c.Title);
        Assert.Equal(ConversationStatus.Open, c.Status);
        Assert.Equal(Priority.Routine, c.Priority);
        Assert.Equal(0, c.LastMessageSeq);
        Assert.Null(c.LastMessageAt);
        Assert.Equal(7, c.Id.Version);
        Assert.InRange(c.CreatedAt, DateTime.UtcNow.AddMinutes(-1), DateTime.UtcNow.AddMinutes(1));
        Assert.Equal($"/api/chat/conversations/{c.Id}", response.Headers.Location?.OriginalString);
        Assert.Equal(c, await App.GetConversationAsync(patient, c.Id).ReadAsync<ConversationDto>(HttpStatusCode.OK));
    }

    [Fact]
    public async Task TheWireShapeHasEveryContractField()
    {
        var patient = await App.UserAsync();

        var json = await App.StartAsync(patient).ReadAsync<JsonElement>(HttpStatusCode.Created);

        string[] fields = ["id", "patientId", "assignedStaffId", "title", "status", "priority", "lastMessageSeq", "lastMessageAt", "createdAt", "updatedAt"];
        Assert.All(fields, f => Assert.True(json.TryGetProperty(f, out _), $"missing {f}: {json}"));
        Assert.Equal("open", json.GetProperty("status").GetString());
        Assert.Equal("routine", json.GetProperty("priority").GetString());
        Assert.Equal(JsonValueKind.Null, json.GetProperty("title").ValueKind);
        Assert.Equal(JsonValueKind.Null, json.GetProperty("lastMessageAt").ValueKind);
        Assert.EndsWith("Z", json.GetProperty("createdAt").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ANewConversationHasNoGreetingMessage()
    {
        var patient = await App.UserAsync();
        var c = await App.StartedAsync(patient);

        var messages = await App.Client(patient).GetAsync($"/api/chat/{c.Id}/messages", Ct).ReadAsync<JsonElement>(HttpStatusCode.OK);

        Assert.Equal(0, messages.GetProperty("items").GetArrayLength());
    }

    [Fact]
    public async Task ATitleIsKeptWhenGiven()
    {
        var patient = await App.UserAsync();

        var c = await App.StartedAsync(patient, "Rash on my arm");

        Assert.Equal("Rash on my arm", c.Title);
    }

    [Fact]
    public async Task ATitleOfTwoHundredCharactersIsAccepted()
    {
        var patient = await App.UserAsync();

        var c = await App.StartedAsync(patient, new string('t', 200));

        Assert.Equal(200, c.Title!.Length);
    }

    [Fact]
    public async Task ATitleOfTwoHundredAndOneCharactersIsABadRequestNamingTitle()
    {
        var patient = await App.UserAsync();

        await App.StartAsync(patient, new { title = new string('t', 201) }).ProblemAsync(HttpStatusCode.BadRequest, "title");

        Assert.Empty((await App.PageAsync(patient)).Items);
    }

    [Fact]
    public async Task ATitleWithANulCharacterIsABadRequestNamingTitle()
    {
        var patient = await App.UserAsync();

        await App.StartAsync(patient, new { title = "a\0b" }).ProblemAsync(HttpStatusCode.BadRequest, "title");

        Assert.Empty((await App.PageAsync(patient)).Items);
    }

    [Fact]
    public async Task ATitleThatIsNotAStringIsABadRequest()
    {
        var patient = await App.UserAsync();

        await App.StartAsync(patient, new { title = 42 }).ProblemAsync(HttpStatusCode.BadRequest, "$.title");
    }

    [Fact]
    public async Task ServerOwnedFieldsInTheBodyAreIgnored()
    {
        var cast = await Cast.CreateAsync(App);
        var forgedId = Guid.CreateVersion7();

        var c = await App.StartAsync(cast.Patient, new
        {
            id = forgedId,
            patientId = cast.OtherPatient.Id,
            assignedStaffId = cast.Staff.Id,
            status = "awaiting_staff",
            priority = "emergency",
            lastMessageSeq = 9,
            title = "Mine",
        }).ReadAsync<ConversationDto>(HttpStatusCode.Created);

        Assert.NotEqual(forgedId, c.Id);
        Assert.Equal(cast.Patient.Id, c.PatientId);
        Assert.Null(c.AssignedStaffId);
        Assert.Equal(ConversationStatus.Open, c.Status);
        Assert.Equal(Priority.Routine, c.Priority);
        Assert.Equal(0, c.LastMessageSeq);
        Assert.Equal("Mine", c.Title);
        Assert.Empty((await App.PageAsync(cast.OtherPatient)).Items);
        Assert.Empty((await App.PageAsync(cast.Staff, "?scope=queue")).Items);
        await App.GetConversationAsync(cast.Patient, forgedId).ProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task MalformedJsonIsABadRequestNamingThePosition()
    {
        var patient = await App.UserAsync();

        using var content = new StringContent("""{"title": "x" """, System.Text.Encoding.UTF8, "application/json");
        var problem = await App.Client(patient).PostAsync("/api/chat/conversations", content, Ct).ProblemAsync(HttpStatusCode.BadRequest);

        Assert.True(problem.TryGetProperty("errors", out _), problem.GetRawText());
        Assert.Contains("line", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }
}
