using MedChat.Api.Conversations;
using MedChat.Api.Identity;
using MedChat.Api.Messages;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.SignalR;

namespace MedChat.Api.Realtime;

public interface IChatClient
{
    Task MessageCreated(MessageDto message);
    Task ReceiptsUpdated(ReceiptsChanged receipts);
    Task ConversationUpdated(ConversationDto conversation);
}

public sealed record JoinResult(ConversationDto Conversation, IReadOnlyList<MessageDto> Messages, bool HasMore);

/// <summary>The realtime surface of /hubs/chat. Each method is a thin call into the same services as REST.</summary>
[Authorize]
public sealed class ChatHub(MessageService messages) : Hub<IChatClient>
{
    public const int JoinLimit = 500;

    public static string ConversationGroup(Guid id) => "c:" + id.ToString("N");

    private Principal Me => Principal.From(Context.User!);

    public async Task<JoinResult> JoinConversation(Guid conversationId, long afterSeq)
    {
        // Join the group first: an event during the read is then delivered too, and clients drop seqs they hold.
        await Groups.AddToGroupAsync(Context.ConnectionId, ConversationGroup(conversationId));
        try
        {
            var (conversation, page) = await messages.CatchUpAsync(Me, conversationId, afterSeq, JoinLimit, Context.ConnectionAborted);
            return new JoinResult(conversation, page.Items, page.HasMore);
        }
        catch
        {
            await Groups.RemoveFromGroupAsync(Context.ConnectionId, ConversationGroup(conversationId));
            throw;
        }
    }

    public Task LeaveConversation(Guid conversationId) =>
        Groups.RemoveFromGroupAsync(Context.ConnectionId, ConversationGroup(conversationId));

    public async Task<MessageDto> SendMessage(Guid conversationId, string clientMessageId, string content) =>
        (await messages.SendAsync(Me, conversationId, content, clientMessageId, Context.ConnectionAborted)).Message;

    public Task MarkDelivered(Guid conversationId, long seq) =>
        messages.MarkAsync(Me, conversationId, seq, null, Context.ConnectionAborted);

    public Task MarkRead(Guid conversationId, long seq) =>
        messages.MarkAsync(Me, conversationId, null, seq, Context.ConnectionAborted);
}
