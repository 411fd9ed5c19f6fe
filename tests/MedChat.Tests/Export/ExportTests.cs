using System.Net.Http.Headers;
using System.Text.Json;
using Hl7.Fhir.Model;
using Hl7.Fhir.Serialization;
using Hl7.Fhir.Validation;
using MedChat.Api.Export;
using MedChat.Tests.Messages;

namespace MedChat.Tests.Export;

/// <summary>A patient downloads their own conversations, messages and receipts, as JSON or as a FHIR R4 Bundle.</summary>
public sealed class ExportTests(MedChatApp app) : ApiTest(app)
{
    private async Task<(TestUser Patient, ConversationDto Held, ConversationDto Alone)> WorldAsync()
    {
        var patient = await App.UserAsync(Role.Patient, "Pat Example");
        var nurse = await App.UserAsync(Role.Staff, "Nurse Example");
        var held = await App.StartHeldConversationAsync(patient, nurse);
        await App.Client(patient).PostAsync(held.Id, "my knee hurts");
        var reply = await App.Client(nurse).PostAsync(held.Id, "how long has it hurt?");
        await App.Client(patient).MarkAsync(held.Id, new { readSeq = reply.Seq });
        var alone = await App.StartConversationAsync(patient);
        await App.Client(patient).PostAsync(alone.Id, "a second question");
        // Someone else's conversation must not appear.
        var stranger = await App.UserAsync();
        var theirs = await App.StartConversationAsync(stranger);
        await App.Client(stranger).PostAsync(theirs.Id, "not yours");
        return (patient, held, alone);
    }

    [Fact]
    public async System.Threading.Tasks.Task TheJsonExportHoldsEveryConversationMessageAndReceiptOfTheCallerAndIsAudited()
    {
        var (patient, held, alone) = await WorldAsync();

        var export = await App.Client(patient).GetAsync("/api/me/export", Ct).ReadAsync<ExportDto>(HttpStatusCode.OK);

        Assert.Equal(patient.Id, export.User.Id);
        Assert.Equal(new[] { held.Id, alone.Id }.Order(), export.Conversations.Select(c => c.Conversation.Id).Order());
        var heldExport = export.Conversations.Single(c => c.Conversation.Id == held.Id);
        Assert.Equal(["my knee hurts", "how long has it hurt?"], heldExport.Messages.Select(m => m.Content));
        Assert.Contains(heldExport.Receipts, r => r.UserId == patient.Id && r.ReadSeq == 2);
        Assert.DoesNotContain(export.Conversations.SelectMany(c => c.Messages), m => m.Content == "not yours");
        Assert.Equal(1L, await App.ScalarAsOwnerAsync<long>("SELECT count(*) FROM audit_log WHERE actor_id = $1 AND action = 'export'", patient.Id));
    }

    [Fact]
    public async System.Threading.Tasks.Task WithAcceptFhirJsonTheExportIsAValidFhirR4BundleOfAPatientAndOneCommunicationPerMessage()
    {
        var (patient, held, _) = await WorldAsync();
        var client = App.Client(patient);
        client.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("application/fhir+json"));

        using var response = await client.GetAsync("/api/me/export", Ct);
        var json = await response.Content.ReadAsStringAsync(Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/fhir+json", response.Content.Headers.ContentType?.MediaType);
        // Firely's strict parser refuses anything that is not R4 (unknown elements, wrong types, bad
        // cardinality); then the SDK's validation checks every resource's invariants and required elements.
        var bundle = JsonSerializer.Deserialize<Bundle>(json, new JsonSerializerOptions().ForFhir(ModelInfo.ModelInspector))!;
        var problems = bundle.Validate(ModelInfo.ModelInspector, NarrativeValidationKind.FhirXhtml, null, true);
        Assert.Empty(problems);

        Assert.Equal(Bundle.BundleType.Collection, bundle.Type);
        var fhirPatient = Assert.Single(bundle.Entry.Select(e => e.Resource).OfType<Patient>());
        Assert.Equal(patient.Id.ToString(), fhirPatient.Id);
        var communications = bundle.Entry.Select(e => e.Resource).OfType<Communication>().ToList();
        Assert.Equal(3, communications.Count);
        Assert.All(communications, c => Assert.Equal($"Patient/{patient.Id}", c.Subject?.Reference));
        Assert.Contains(communications, c => (c.Payload[0].Content as FhirString)?.Value == "how long has it hurt?" &&
            c.Sender?.Reference?.StartsWith("Practitioner/", StringComparison.Ordinal) == true);
        Assert.Contains(communications, c => c.Topic?.Text?.Contains(held.Id.ToString(), StringComparison.Ordinal) == true);
        Assert.Equal(1L, await App.ScalarAsOwnerAsync<long>("SELECT count(*) FROM audit_log WHERE actor_id = $1 AND action = 'export'", patient.Id));
    }

    [Fact]
    public async System.Threading.Tasks.Task ExportNeedsAToken()
    {
        await App.Client((string?)null).GetAsync("/api/me/export", Ct).ProblemAsync(HttpStatusCode.Unauthorized);
    }
}
