using MedChat.Api.Conversations;
using MedChat.Api.Data;
using MedChat.Api.Identity;
using MedChat.Api.Web;
using Microsoft.EntityFrameworkCore;

namespace MedChat.Api.Audit;

public sealed record AuditEventDto(Guid Id, DateTime At, Guid? ActorId, Role? ActorRole, string Action, Guid? ConversationId,
    string Outcome, string? RequestId, string? ClientAddress);

public sealed record AccessLogEntryDto(DateTime At, Guid ActorId, Role ActorRole, string? ActorName, string Action, Guid ConversationId);

public sealed record AuditFilter(Guid? ConversationId, Guid? ActorId, string? Action, DateTime? From, DateTime? To);

/// <summary>Reading the trail: the admin's filtered view and a patient's own access log. Both page newest first by (at, id).</summary>
public sealed class AuditService(MedChatDb db, TimeProvider time)
{
    public const int MaxAction = 64;

    public async Task<Page<AuditEventDto>> ListAsync(Principal who, AuditFilter filter, int limit, string? cursor, CancellationToken ct)
    {
        var v = new Validator();
        v.Check(filter.Action is null || filter.Action.Length <= MaxAction, "action", $"action must be at most {MaxAction} characters.");
        v.Check(filter.From is null || filter.To is null || filter.From <= filter.To, "from", "from must not be after to.");
        v.ThrowIfAny();
        var caller = await db.BeginAsync(who, ct);
        caller.RequireAdmin("read the audit log");

        var q = db.Audit.AsNoTracking();
        if (filter.ConversationId is { } cid) q = q.Where(a => a.ConversationId == cid);
        if (filter.ActorId is { } aid) q = q.Where(a => a.ActorId == aid);
        if (filter.Action is { } action) q = q.Where(a => a.Action == action);
        if (filter.From is { } from) q = q.Where(a => a.At >= from);
        if (filter.To is { } to) q = q.Where(a => a.At <= to);
        var rows = await Keyset(q, cursor, "a").Take(limit + 1).ToListAsync(ct);
        var next = NextCursor(rows, limit, "a");
        await db.CommitAuditedAsync(caller, AuditActions.AuditRead, filter.ConversationId, time.UtcNow(), ct);
        return new Page<AuditEventDto>(rows.ConvertAll(a =>
            new AuditEventDto(a.Id, a.At, a.ActorId, a.ActorRole, a.Action, a.ConversationId, a.Outcome, a.RequestId, a.ClientAddress)), next);
    }

    /// <summary>Staff and admin accesses to the caller's own conversations (the policy limits a patient to those rows).</summary>
    public async Task<Page<AccessLogEntryDto>> AccessLogAsync(Principal who, int limit, string? cursor, CancellationToken ct)
    {
        var caller = await db.BeginAsync(who, ct);
        var q = db.Audit.AsNoTracking().Where(a =>
            a.ConversationId != null && a.ActorId != null && a.ActorId != caller.Id && a.Outcome == AuditOutcome.Ok &&
            (a.ActorRole == Role.Staff || a.ActorRole == Role.Admin) &&
            db.Conversations.Any(c => c.Id == a.ConversationId && c.PatientId == caller.Id));
        var rows = await Keyset(q, cursor, "l").Take(limit + 1).ToListAsync(ct);
        var next = NextCursor(rows, limit, "l");
        var ids = rows.Select(a => a.ActorId!.Value).Distinct().ToArray();
        var names = ids.Length == 0 ? [] : await db.Database
            .SqlQuery<StaffName>($"SELECT id AS \"Id\", display_name AS \"DisplayName\" FROM app_staff_names({ids})")
            .ToDictionaryAsync(n => n.Id, n => n.DisplayName, ct);
        await db.CommitAsync(ct);
        return new Page<AccessLogEntryDto>(rows.ConvertAll(a => new AccessLogEntryDto(
            a.At, a.ActorId!.Value, a.ActorRole!.Value, names.GetValueOrDefault(a.ActorId!.Value), a.Action, a.ConversationId!.Value)), next);
    }

    private static IQueryable<AuditEntry> Keyset(IQueryable<AuditEntry> q, string? cursor, string kind)
    {
        if (cursor is not null)
        {
            var p = Cursor.Decode(cursor, kind, 2);
            if (!long.TryParse(p[0], out var ticks) || ticks < DateTime.MinValue.Ticks || ticks > DateTime.MaxValue.Ticks || !Guid.TryParse(p[1], out var id))
                throw ValidationException.For("cursor", "cursor is not a cursor this listing issued.");
            var at = new DateTime(ticks, DateTimeKind.Utc);
            q = q.Where(a => EF.Functions.LessThan(ValueTuple.Create(a.At, a.Id), ValueTuple.Create(at, id)));
        }
        return q.OrderByDescending(a => a.At).ThenByDescending(a => a.Id);
    }

    private static string? NextCursor(List<AuditEntry> rows, int limit, string kind)
    {
        if (rows.Count <= limit) return null;
        rows.RemoveAt(limit);
        return Cursor.Encode(kind, rows[^1].At.Ticks, rows[^1].Id);
    }

    private sealed record StaffName(Guid Id, string? DisplayName);
}

public static class AuditEndpoints
{
    public static void MapAudit(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/admin/audit", List).RequireAuthorization().WithName("ListAudit").WithTags("Admin")
            .WithSummary("The audit trail, newest first, filtered by conversation, actor, action and time (admin only).")
            .ProducesProblem(400).ProducesProblem(401).ProducesProblem(403);
        app.MapGet("/api/me/access-log", AccessLog).RequireAuthorization().WithName("GetAccessLog").WithTags("Identity")
            .WithSummary("Which staff members and admins opened the caller's conversations, and when, newest first.")
            .ProducesProblem(400).ProducesProblem(401);
    }

    private static async Task<Microsoft.AspNetCore.Http.HttpResults.Ok<Page<AuditEventDto>>> List(
        System.Security.Claims.ClaimsPrincipal user, AuditService audit, CancellationToken ct,
        Guid? conversationId = null, Guid? actorId = null, string? action = null, DateTimeOffset? from = null, DateTimeOffset? to = null,
        int? limit = null, string? cursor = null)
    {
        var take = Limit(limit);
        return TypedResults.Ok(await audit.ListAsync(Principal.From(user),
            new AuditFilter(conversationId, actorId, action, from?.UtcDateTime, to?.UtcDateTime), take, cursor, ct));
    }

    private static async Task<Microsoft.AspNetCore.Http.HttpResults.Ok<Page<AccessLogEntryDto>>> AccessLog(
        System.Security.Claims.ClaimsPrincipal user, AuditService audit, CancellationToken ct, int? limit = null, string? cursor = null) =>
        TypedResults.Ok(await audit.AccessLogAsync(Principal.From(user), Limit(limit), cursor, ct));

    private static int Limit(int? limit)
    {
        var v = new Validator();
        var take = (int)(v.Range(limit, "limit", 1, 100) ?? 50);
        v.ThrowIfAny();
        return take;
    }
}
