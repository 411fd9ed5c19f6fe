using System.Security.Claims;
using MedChat.Api.Audit;
using MedChat.Api.Conversations;
using MedChat.Api.Data;
using MedChat.Api.Identity;
using MedChat.Api.Messages;
using MedChat.Api.Web;
using Microsoft.AspNetCore.Http.HttpResults;
using Hl7.Fhir.Serialization;
using Microsoft.EntityFrameworkCore;
using FhirModel = Hl7.Fhir.Model;

namespace MedChat.Api.Export;

public sealed record ExportedConversation(ConversationDto Conversation, IReadOnlyList<MessageDto> Messages, IReadOnlyList<ReceiptDto> Receipts);

public sealed record ExportDto(DateTime ExportedAt, MeDto User, IReadOnlyList<ExportedConversation> Conversations);

/// <summary>
/// A patient's own data in one document: their conversations, every message and every receipt in
/// them, as JSON or as a FHIR R4 Bundle. Every export is audited.
/// </summary>
public sealed class ExportService(MedChatDb db, TimeProvider time)
{
    public async Task<ExportDto> ExportAsync(Principal who, CancellationToken ct)
    {
        var caller = await db.BeginAsync(who, ct);
        var user = await db.Users.AsNoTracking().SingleAsync(u => u.Id == caller.Id, ct);
        // As a patient: the caller's own conversations, whatever their role (RLS lets each role read these).
        var conversations = await db.Conversations.AsNoTracking().Where(c => c.PatientId == caller.Id)
            .OrderBy(c => c.CreatedAt).ThenBy(c => c.Id).Take(ExportLimits.MaxConversations + 1).ToListAsync(ct);
        if (conversations.Count > ExportLimits.MaxConversations || conversations.Any(c => c.LastMessageSeq > ExportLimits.MaxMessages))
            throw new ConflictException($"This account holds more than one export document can carry ({ExportLimits.MaxConversations} conversations of up to {ExportLimits.MaxMessages} messages); ask an administrator for a bulk export.");
        var ids = conversations.ConvertAll(c => c.Id);
        var messages = (await db.Messages.AsNoTracking().Where(m => ids.Contains(m.ConversationId))
            .OrderBy(m => m.ConversationId).ThenBy(m => m.Seq).ToListAsync(ct)).ToLookup(m => m.ConversationId);
        var receipts = (await db.Receipts.AsNoTracking().Where(r => ids.Contains(r.ConversationId)).ToListAsync(ct)).ToLookup(r => r.ConversationId);
        var now = time.UtcNow();
        await db.CommitAuditedAsync(caller, AuditActions.Export, null, now, ct);

        return new ExportDto(now, new MeDto(user.Id, user.Role, user.DisplayName), conversations.ConvertAll(c =>
        {
            var rs = receipts[c.Id].ToList();
            return new ExportedConversation(ConversationDto.From(c),
                messages[c.Id].Select(m => MessageDto.From(m, rs)).ToList(),
                rs.OrderBy(r => r.UserId).Select(r => new ReceiptDto(r.UserId, r.Role, r.DeliveredSeq, r.ReadSeq)).ToList());
        }));
    }

    /// <summary>
    /// The same export as a FHIR R4 Bundle (type collection): the Patient, then one Communication per
    /// message, in conversation and seq order. Staff senders are referenced as Practitioners, the
    /// assistant by display name only.
    /// </summary>
    public static FhirModel.Bundle ToFhir(ExportDto export)
    {
        var patientRef = $"Patient/{export.User.Id}";
        var bundle = new FhirModel.Bundle
        {
            Id = Guid.CreateVersion7().ToString(),
            Type = FhirModel.Bundle.BundleType.Collection,
            Timestamp = new DateTimeOffset(export.ExportedAt, TimeSpan.Zero),
        };
        var patient = new FhirModel.Patient { Id = export.User.Id.ToString() };
        patient.Identifier.Add(new FhirModel.Identifier("urn:medchat:user", export.User.Id.ToString()));
        if (export.User.DisplayName is { } name) patient.Name.Add(new FhirModel.HumanName { Text = name });
        bundle.Entry.Add(new FhirModel.Bundle.EntryComponent { FullUrl = $"urn:uuid:{export.User.Id}", Resource = patient });

        foreach (var c in export.Conversations)
        {
            foreach (var m in c.Messages)
            {
                var communication = new FhirModel.Communication
                {
                    Id = m.Id.ToString(),
                    Status = FhirModel.EventStatus.Completed,
                    Subject = new FhirModel.ResourceReference(patientRef),
                    Sent = new DateTimeOffset(m.CreatedAt, TimeSpan.Zero).ToString("o", System.Globalization.CultureInfo.InvariantCulture),
                    Topic = new FhirModel.CodeableConcept { Text = $"MedChat conversation {c.Conversation.Id}" },
                    Sender = m.SenderRole switch
                    {
                        SenderRole.Patient => new FhirModel.ResourceReference(patientRef),
                        SenderRole.Staff when m.SenderId is { } staff => new FhirModel.ResourceReference($"Practitioner/{staff}") { Display = "Care team member" },
                        SenderRole.Assistant => new FhirModel.ResourceReference { Display = "MedChat assistant" },
                        _ => new FhirModel.ResourceReference { Display = "MedChat" },
                    },
                };
                communication.Identifier.Add(new FhirModel.Identifier("urn:medchat:message", m.Id.ToString()));
                communication.Payload.Add(new FhirModel.Communication.PayloadComponent { Content = new FhirModel.FhirString(m.Content) });
                bundle.Entry.Add(new FhirModel.Bundle.EntryComponent { FullUrl = $"urn:uuid:{m.Id}", Resource = communication });
            }
        }
        return bundle;
    }
}

public static class ExportEndpoints
{
    public const string FhirJson = "application/fhir+json";

    public static void MapExport(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/me/export", Export).RequireAuthorization().WithName("ExportMyData").WithTags("Identity")
            .WithSummary("Everything the caller may see as a patient, as one JSON document, or as a FHIR R4 Bundle with Accept: application/fhir+json.")
            .Produces<ExportDto>(200, "application/json")
            .Produces<FhirBundle>(200, FhirJson)
            .ProducesProblem(401).ProducesProblem(409);
    }

    private static async Task<Results<Ok<ExportDto>, ContentHttpResult>> Export(HttpRequest request, ClaimsPrincipal user, ExportService service, CancellationToken ct)
    {
        var export = await service.ExportAsync(Principal.From(user), ct);
        if (!request.Headers.Accept.Any(a => a?.Contains(FhirJson, StringComparison.OrdinalIgnoreCase) == true))
            return TypedResults.Ok(export);
        var json = System.Text.Json.JsonSerializer.Serialize(ExportService.ToFhir(export),
            new System.Text.Json.JsonSerializerOptions().ForFhir(FhirModel.ModelInfo.ModelInspector));
        return TypedResults.Content(json, FhirJson);
    }

    /// <summary>For the OpenAPI document only: a FHIR R4 Bundle, described by the FHIR specification.</summary>
    public sealed record FhirBundle(string ResourceType);
}
