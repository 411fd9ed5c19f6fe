using System.Text.Json;

namespace MedChat.Api.Messages;

public sealed record MessageDto(
    Guid Id,
    Guid ConversationId,
    long Seq,
    Guid? SenderId,
    SenderRole SenderRole,
    string Content,
    string? ClientMessageId,
    MessageStatus Status,
    DateTime CreatedAt,
    JsonElement? Metadata)
{
    public static MessageDto From(Message m, IReadOnlyCollection<Receipt> receipts) => new(
        m.Id, m.ConversationId, m.Seq, m.SenderId, m.SenderRole, m.Content, m.ClientMessageId,
        StatusOf(m, receipts), m.CreatedAt,
        m.Metadata is null ? null : JsonDocument.Parse(m.Metadata).RootElement.Clone());

    /// <summary>
    /// A message's status for its sender, derived from the other participants' receipt cursors
    /// (docs/adr/0002): read once anyone else has read up to it, delivered once anyone else has it.
    /// </summary>
    public static MessageStatus StatusOf(Message m, IReadOnlyCollection<Receipt> receipts)
    {
        var status = MessageStatus.Sent;
        foreach (var r in receipts)
        {
            if (r.UserId == m.SenderId) continue;
            if (r.ReadSeq >= m.Seq) return MessageStatus.Read;
            if (r.DeliveredSeq >= m.Seq) status = MessageStatus.Delivered;
        }
        return status;
    }
}

public sealed record MessagePage(IReadOnlyList<MessageDto> Items, bool HasMore);

public sealed record SendMessageRequest(string? Content, string? ClientMessageId);

public sealed record ReceiptRequest(long? DeliveredSeq, long? ReadSeq);

public sealed record ReceiptDto(Guid UserId, Identity.Role Role, long DeliveredSeq, long ReadSeq);

public sealed record ReceiptsChanged(Guid ConversationId, Guid UserId, long DeliveredSeq, long ReadSeq);
