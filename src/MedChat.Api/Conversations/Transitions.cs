using MedChat.Api.Identity;
using static MedChat.Api.Conversations.ConversationStatus;

namespace MedChat.Api.Conversations;

/// <summary>
/// The status state machine of the contract, as a table: from, to, and which roles may take it.
/// A patient acts only on their own conversations and staff only on those they can see; visibility
/// is checked before this table is consulted.
/// </summary>
public static class Transitions
{
    private static readonly Role[] Everyone = [Role.Patient, Role.Staff, Role.Admin];
    private static readonly Role[] People = [Role.Staff, Role.Admin];
    private static readonly Role[] Admins = [Role.Admin];

    public static readonly IReadOnlyList<(ConversationStatus From, ConversationStatus To, Role[] Who)> Table =
    [
        (Open, AwaitingStaff, Everyone),    // ask for a person
        (AwaitingStaff, Open, People),      // back to the assistant
        (Open, Resolved, Everyone),
        (AwaitingStaff, Resolved, Everyone),
        (Resolved, Open, Everyone),         // reopen
        (Open, Archived, Admins),
        (AwaitingStaff, Archived, Admins),
        (Resolved, Archived, Admins),
    ];

    public static bool Allowed(ConversationStatus from, ConversationStatus to, Role role) =>
        Table.Any(t => t.From == from && t.To == to && t.Who.Contains(role));

    /// <summary>
    /// Applies a status change. Entering the queue stamps <see cref="Conversation.QueuedAt"/>;
    /// going back to <c>open</c> hands the conversation back to the assistant, so no one holds it.
    /// </summary>
    public static void Apply(Conversation c, ConversationStatus to, DateTime now)
    {
        if (to == AwaitingStaff && c.Status != AwaitingStaff) c.QueuedAt = now;
        if (to == Open) c.AssignedStaffId = null;
        c.Status = to;
        c.UpdatedAt = now;
    }

    /// <summary>The status a new message leaves a conversation in: posting reopens a resolved one.</summary>
    public static ConversationStatus AfterPost(Conversation c) => c.Status == Resolved
        ? c.AssignedStaffId is null ? Open : AwaitingStaff
        : c.Status;
}
