using System.Security.Claims;
using MedChat.Api.Identity;
using Microsoft.AspNetCore.Http.HttpResults;

namespace MedChat.Api.Messages;

public static class MessageEndpoints
{
    public static void MapMessages(this IEndpointRouteBuilder app)
    {
        var chat = app.MapGroup("/api/chat/{conversationId}").RequireAuthorization().WithTags("Messages")
            .ProducesProblem(400).ProducesProblem(401).ProducesProblem(404);

        chat.MapGet("/messages", List).WithName("ListMessages")
            .WithSummary("A page of messages in ascending seq: the newest page, after=N to catch up, before=N to page back.");
        chat.MapPost("/messages", Send).WithName("SendMessage")
            .WithSummary("Post a message; repeating a clientMessageId returns the original with 200.").ProducesProblem(409);
        chat.MapPost("/receipts", Mark).WithName("MarkReceipts")
            .WithSummary("Move the caller's delivered/read cursors forward.");
        chat.MapGet("/receipts", ListReceipts).WithName("ListReceipts");
    }

    private static async Task<Ok<MessagePage>> List(Guid conversationId, ClaimsPrincipal user, MessageService service, CancellationToken ct,
        long? after = null, long? before = null, int? limit = null) =>
        TypedResults.Ok(await service.ListAsync(Principal.From(user), conversationId, after, before, limit, ct));

    private static async Task<Results<Created<MessageDto>, Ok<MessageDto>>> Send(Guid conversationId, SendMessageRequest body, ClaimsPrincipal user, MessageService service, CancellationToken ct)
    {
        var result = await service.SendAsync(Principal.From(user), conversationId, body.Content, body.ClientMessageId, ct);
        return result.Created
            ? TypedResults.Created($"/api/chat/{conversationId}/messages?after={result.Message.Seq - 1}&limit=1", result.Message)
            : TypedResults.Ok(result.Message);
    }

    private static async Task<NoContent> Mark(Guid conversationId, ReceiptRequest body, ClaimsPrincipal user, MessageService service, CancellationToken ct)
    {
        await service.MarkAsync(Principal.From(user), conversationId, body.DeliveredSeq, body.ReadSeq, ct);
        return TypedResults.NoContent();
    }

    private static async Task<Ok<IReadOnlyList<ReceiptDto>>> ListReceipts(Guid conversationId, ClaimsPrincipal user, MessageService service, CancellationToken ct) =>
        TypedResults.Ok(await service.ListReceiptsAsync(Principal.From(user), conversationId, ct));
}
