using MedChat.Api.Identity;
using Microsoft.EntityFrameworkCore;

namespace MedChat.Api.Conversations;

/// <summary>
/// Who sees which conversation, in the API. PostgreSQL's row-level security enforces the same
/// rule a second time (Data/Migrations, AddRowLevelSecurity); each is enough alone.
/// </summary>
public static class Access
{
    public static IQueryable<Conversation> VisibleTo(this IQueryable<Conversation> q, Caller caller) => caller.Role switch
    {
        Role.Admin => q,
        Role.Staff => q.Where(c => c.AssignedStaffId == caller.Id || (c.AssignedStaffId == null && c.Status == ConversationStatus.AwaitingStaff)),
        _ => q.Where(c => c.PatientId == caller.Id),
    };

    /// <summary>
    /// The conversation row, locked until the transaction ends: senders to one conversation queue
    /// here, which is what keeps seq gapless. Compose <see cref="VisibleTo"/> on it for the API check.
    /// </summary>
    public static IQueryable<Conversation> Locked(this DbSet<Conversation> conversations, Guid id) =>
        conversations.FromSql($"SELECT * FROM conversations WHERE id = {id} FOR UPDATE");

    public static bool CanSee(this Caller caller, Conversation c) => caller.Role switch
    {
        Role.Admin => true,
        Role.Staff => c.AssignedStaffId == caller.Id || (c.AssignedStaffId is null && c.Status == ConversationStatus.AwaitingStaff),
        _ => c.PatientId == caller.Id,
    };

    public static void RequireStaff(this Caller caller, string action)
    {
        if (!caller.IsStaffOrAdmin) throw new Web.ForbiddenException($"Only staff and admins may {action}.");
    }

    public static void RequireAdmin(this Caller caller, string action)
    {
        if (caller.Role != Role.Admin) throw new Web.ForbiddenException($"Only admins may {action}.");
    }
}
