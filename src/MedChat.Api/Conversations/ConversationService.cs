using MedChat.Api.Realtime;
using MedChat.Api.Audit;
using MedChat.Api.Data;
using MedChat.Api.Identity;
using MedChat.Api.Web;
using Microsoft.EntityFrameworkCore;

namespace MedChat.Api.Conversations;

/// <summary>Every conversation action, shared by the REST routes and the hub: check, store, commit, then tell.</summary>
public sealed class ConversationService(MedChatDb db, TimeProvider time, IChatEvents events)
{
    public const int MaxTitle = 200;

    public async Task<Page<ConversationDto>> ListAsync(Principal who, Scope scope, ConversationStatus? status, int limit, string? cursor, CancellationToken ct)
    {
        var caller = await db.BeginAsync(who, ct);
        IQueryable<Conversation> q = db.Conversations.AsNoTracking().VisibleTo(caller);
        if (status is { } s) q = q.Where(c => c.Status == s);
        List<Conversation> rows;
        if (scope == Scope.Queue)
        {
            caller.RequireStaff("see the staff queue");
            q = q.Where(c => c.Status == ConversationStatus.AwaitingStaff && c.AssignedStaffId == null);
            if (cursor is not null)
            {
                var p = Cursor.Decode(cursor, "q", 3);
                var (rank, queuedAt, id) = (ParseInt(p[0]), ParseTicks(p[1]), ParseGuid(p[2]));
                q = q.Where(c => EF.Functions.GreaterThan(
                    ValueTuple.Create(c.Priority == Priority.Emergency ? 0 : c.Priority == Priority.Urgent ? 1 : 2, c.QueuedAt!.Value, c.Id),
                    ValueTuple.Create(rank, queuedAt, id)));
            }
            rows = await q.OrderBy(c => c.Priority == Priority.Emergency ? 0 : c.Priority == Priority.Urgent ? 1 : 2)
                .ThenBy(c => c.QueuedAt).ThenBy(c => c.Id).Take(limit + 1).ToListAsync(ct);
        }
        else
        {
            // "mine": a patient's own, a staff member's assigned, an admin's all.
            if (caller.Role == Role.Staff) q = q.Where(c => c.AssignedStaffId == caller.Id);
            if (cursor is not null)
            {
                var p = Cursor.Decode(cursor, "m", 2);
                var (updatedAt, id) = (ParseTicks(p[0]), ParseGuid(p[1]));
                q = q.Where(c => EF.Functions.LessThan(ValueTuple.Create(c.UpdatedAt, c.Id), ValueTuple.Create(updatedAt, id)));
            }
            rows = await q.OrderByDescending(c => c.UpdatedAt).ThenByDescending(c => c.Id).Take(limit + 1).ToListAsync(ct);
        }

        string? next = null;
        if (rows.Count > limit)
        {
            rows.RemoveAt(limit);
            var last = rows[^1];
            next = scope == Scope.Queue
                ? Cursor.Encode("q", Rank(last.Priority), last.QueuedAt!.Value.Ticks, last.Id)
                : Cursor.Encode("m", last.UpdatedAt.Ticks, last.Id);
        }
        await db.CommitAuditedAsync(caller, scope == Scope.Queue ? "conversations.list_queue" : "conversations.list", null, time.UtcNow(), ct);
        return new Page<ConversationDto>(rows.ConvertAll(ConversationDto.From), next);
    }

    public async Task<ConversationDto> CreateAsync(Principal who, string? title, CancellationToken ct)
    {
        var v = new Validator();
        title = v.Text(title, "title", 0, MaxTitle, required: false) is { Length: > 0 } t ? t : null;
        v.ThrowIfAny();
        var caller = await db.BeginAsync(who, ct);
        if (caller.Role != Role.Patient) throw new ForbiddenException("Only patients start conversations, for themselves.");
        var now = time.UtcNow();
        var c = new Conversation
        {
            Id = Guid.CreateVersion7(),
            PatientId = caller.Id,
            Title = title,
            Status = ConversationStatus.Open,
            Priority = Priority.Routine,
            CreatedAt = now,
            UpdatedAt = now,
        };
        db.Conversations.Add(c);
        await db.CommitAuditedAsync(caller, "conversation.create", c.Id, now, ct);
        return ConversationDto.From(c);
    }

    public async Task<ConversationDto> GetAsync(Principal who, Guid id, CancellationToken ct)
    {
        var caller = await db.BeginAsync(who, ct);
        var c = await FindAsync(caller, id, ct);
        await db.CommitAuditedAsync(caller, "conversation.read", id, time.UtcNow(), ct);
        return ConversationDto.From(c);
    }

    public async Task<ConversationDto> ChangeStatusAsync(Principal who, Guid id, ConversationStatus? status, Priority? priority, CancellationToken ct)
    {
        var caller = await db.BeginAsync(who, ct);
        var c = await FindAsync(caller, id, ct);
        if (priority is not null && caller.Role == Role.Patient) throw new ForbiddenException("Patients cannot set a conversation's priority.");
        if (status is { } to && to != c.Status && !Transitions.Allowed(c.Status, to, caller.Role))
            throw new ConflictException($"A {Name(caller.Role)} cannot move a conversation from {Name(c.Status)} to {Name(to)}.");
        if (priority is not null && c.Status == ConversationStatus.Archived)
            throw new ConflictException("An archived conversation is read-only.");

        var before = (c.Status, c.Priority, c.AssignedStaffId);
        var now = time.UtcNow();
        if (status is { } next && next != c.Status) Transitions.Apply(c, next, now);
        if (priority is { } p && p != c.Priority)
        {
            c.Priority = p;
            c.UpdatedAt = now;
        }
        var changed = before != (c.Status, c.Priority, c.AssignedStaffId);
        if (changed && caller.Role == Role.Staff && !caller.CanSee(c)) await db.ActingOnAsync(id, ct);
        await db.CommitAuditedAsync(caller, changed ? "conversation.status" : "conversation.read", id, now, ct);
        if (changed) await events.ConversationUpdatedAsync(c, before.Status, before.AssignedStaffId);
        return ConversationDto.From(c);
    }

    public async Task<ConversationDto> ClaimAsync(Principal who, Guid id, CancellationToken ct)
    {
        var caller = await db.BeginAsync(who, ct);
        caller.RequireStaff("claim conversations");
        var c = await FindAsync(caller, id, ct);
        if (c.AssignedStaffId == caller.Id)
        {
            await db.CommitAuditedAsync(caller, "conversation.read", id, time.UtcNow(), ct);
            return ConversationDto.From(c);
        }
        if (c.Status == ConversationStatus.Archived) throw new ConflictException("An archived conversation cannot be claimed.");
        if (c.AssignedStaffId is not null) throw new ConflictException("Another staff member already holds this conversation.");

        var now = time.UtcNow();
        var statusBefore = c.Status;
        // Status and assignee are concurrency tokens: of two claims racing, the second UPDATE finds
        // the row changed, matches nothing, and becomes a 409 (ProblemMapping).
        if (c.Status == ConversationStatus.Open) Transitions.Apply(c, ConversationStatus.AwaitingStaff, now);
        c.AssignedStaffId = caller.Id;
        c.UpdatedAt = now;
        await db.CommitAuditedAsync(caller, "conversation.claim", id, now, ct);
        await events.ConversationUpdatedAsync(c, statusBefore, assigneeBefore: null);
        return ConversationDto.From(c);
    }

    public async Task<ConversationDto> AssignAsync(Principal who, Guid id, Guid? staffId, CancellationToken ct)
    {
        var caller = await db.BeginAsync(who, ct);
        caller.RequireAdmin("assign conversations");
        var c = await FindAsync(caller, id, ct);
        if (staffId is { } sid)
        {
            var role = await db.Users.Where(u => u.Id == sid).Select(u => (Role?)u.Role).SingleOrDefaultAsync(ct);
            if (role is not (Role.Staff or Role.Admin))
                throw ValidationException.For("staffId", "staffId must be the id of a staff member or admin.");
        }
        if (c.Status == ConversationStatus.Archived) throw new ConflictException("An archived conversation is read-only.");
        var previous = c.AssignedStaffId;
        var now = time.UtcNow();
        if (previous != staffId)
        {
            c.AssignedStaffId = staffId;
            // Unassigning a conversation that waits for a person puts it back at the end of the queue.
            if (staffId is null && c.Status == ConversationStatus.AwaitingStaff) c.QueuedAt = now;
            c.UpdatedAt = now;
        }
        await db.CommitAuditedAsync(caller, "conversation.assign", id, now, ct);
        if (previous != staffId) await events.ConversationUpdatedAsync(c, c.Status, previous);
        return ConversationDto.From(c);
    }

    /// <summary>The conversation if the caller may see it (API check, then RLS underneath); 404 otherwise.</summary>
    internal async Task<Conversation> FindAsync(Caller caller, Guid id, CancellationToken ct) =>
        await db.Conversations.VisibleTo(caller).SingleOrDefaultAsync(c => c.Id == id, ct)
        ?? throw NotFoundException.Conversation(id);

    private static int Rank(Priority p) => p switch { Priority.Emergency => 0, Priority.Urgent => 1, _ => 2 };

    private static string Name<T>(T value) where T : struct, Enum => SnakeCaseEnumConverter<T>.Name(value);

    private static int ParseInt(string s) => int.TryParse(s, out var v) ? v : throw BadCursor();
    private static DateTime ParseTicks(string s) =>
        long.TryParse(s, out var v) && v >= DateTime.MinValue.Ticks && v <= DateTime.MaxValue.Ticks ? new DateTime(v, DateTimeKind.Utc) : throw BadCursor();
    private static Guid ParseGuid(string s) => Guid.TryParse(s, out var v) ? v : throw BadCursor();
    private static ValidationException BadCursor() => ValidationException.For("cursor", "cursor is not a cursor this listing issued.");
}
