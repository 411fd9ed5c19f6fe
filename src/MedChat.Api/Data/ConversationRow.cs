using MedChat.Api.Conversations;
using Npgsql;

namespace MedChat.Api.Data;

/// <summary>
/// The conversation a hot-path SQL function hands back (medchat_send, medchat_assist_store): the
/// same ten columns in the same order, from patient_id to updated_at, starting at a given ordinal.
/// </summary>
internal static class ConversationRow
{
    public static Conversation Read(NpgsqlDataReader r, Guid id, int at) => new()
    {
        Id = id,
        PatientId = r.GetGuid(at),
        AssignedStaffId = r.IsDBNull(at + 1) ? null : r.GetGuid(at + 1),
        Title = r.IsDBNull(at + 2) ? null : r.GetString(at + 2),
        Status = SnakeCaseEnumConverter<ConversationStatus>.Parse(r.GetString(at + 3)),
        Priority = SnakeCaseEnumConverter<Priority>.Parse(r.GetString(at + 4)),
        LastMessageSeq = r.GetInt64(at + 5),
        LastMessageAt = r.IsDBNull(at + 6) ? null : r.GetFieldValue<DateTime>(at + 6),
        QueuedAt = r.IsDBNull(at + 7) ? null : r.GetFieldValue<DateTime>(at + 7),
        CreatedAt = r.GetFieldValue<DateTime>(at + 8),
        UpdatedAt = r.GetFieldValue<DateTime>(at + 9),
    };
}
