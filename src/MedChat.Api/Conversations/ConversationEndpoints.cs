using System.Security.Claims;
using MedChat.Api.Identity;
using MedChat.Api.Web;
using Microsoft.AspNetCore.Http.HttpResults;

namespace MedChat.Api.Conversations;

public static class ConversationEndpoints
{
    public static void MapConversations(this IEndpointRouteBuilder app)
    {
        var chat = app.MapGroup("/api/chat").RequireAuthorization().WithTags("Conversations")
            .ProducesProblem(400).ProducesProblem(401).ProducesProblem(404);

        chat.MapGet("/conversations", List).WithName("ListConversations")
            .WithSummary("Conversations the caller may see, newest activity first; scope=queue for the staff queue.");
        chat.MapPost("/conversations", Create).WithName("CreateConversation")
            .WithSummary("A patient starts a conversation.").ProducesProblem(403);
        chat.MapGet("/conversations/{id}", Get).WithName("GetConversation");
        chat.MapPatch("/{conversationId}/status", ChangeStatus).WithName("ChangeStatus")
            .WithSummary("Change status and/or priority, following the transition table.").ProducesProblem(403).ProducesProblem(409);
        chat.MapPost("/{conversationId}/claim", Claim).WithName("Claim")
            .WithSummary("Staff take a conversation from the queue.").ProducesProblem(403).ProducesProblem(409);
        chat.MapPut("/{conversationId}/assignee", Assign).WithName("Assign")
            .WithSummary("An admin assigns a conversation to a staff member, or unassigns it.").ProducesProblem(403).ProducesProblem(409);
    }

    private static async Task<Ok<Page<ConversationDto>>> List(
        ClaimsPrincipal user, ConversationService service, CancellationToken ct,
        string? scope = null, string? status = null, int? limit = null, string? cursor = null)
    {
        var v = new Validator();
        var take = (int)(v.Range(limit, "limit", 1, 100) ?? 50);
        v.ThrowIfAny();
        var page = await service.ListAsync(Principal.From(user), EnumText.Parse<Scope>(scope, "scope") ?? Scope.Mine,
            EnumText.Parse<ConversationStatus>(status, "status"), take, cursor, ct);
        return TypedResults.Ok(page);
    }

    private static async Task<Created<ConversationDto>> Create(ClaimsPrincipal user, ConversationService service, CancellationToken ct, CreateConversationRequest? body = null)
    {
        var c = await service.CreateAsync(Principal.From(user), body?.Title, ct);
        return TypedResults.Created($"/api/chat/conversations/{c.Id}", c);
    }

    private static async Task<Ok<ConversationDto>> Get(Guid id, ClaimsPrincipal user, ConversationService service, CancellationToken ct) =>
        TypedResults.Ok(await service.GetAsync(Principal.From(user), id, ct));

    private static async Task<Ok<ConversationDto>> ChangeStatus(Guid conversationId, ChangeStatusRequest body, ClaimsPrincipal user, ConversationService service, CancellationToken ct) =>
        TypedResults.Ok(await service.ChangeStatusAsync(Principal.From(user), conversationId, body.Status, body.Priority, ct));

    private static async Task<Ok<ConversationDto>> Claim(Guid conversationId, ClaimsPrincipal user, ConversationService service, CancellationToken ct) =>
        TypedResults.Ok(await service.ClaimAsync(Principal.From(user), conversationId, ct));

    private static async Task<Ok<ConversationDto>> Assign(Guid conversationId, AssignRequest body, ClaimsPrincipal user, ConversationService service, CancellationToken ct) =>
        TypedResults.Ok(await service.AssignAsync(Principal.From(user), conversationId, body.StaffId, ct));
}
