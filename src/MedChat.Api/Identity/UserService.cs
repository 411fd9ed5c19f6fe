using MedChat.Api.Audit;
using MedChat.Api.Realtime;
using MedChat.Api.Data;
using MedChat.Api.Web;
using Microsoft.EntityFrameworkCore;

namespace MedChat.Api.Identity;

public sealed record MeDto(Guid Id, Role Role, string? DisplayName);

public sealed record UpdateUserRequest(Role? Role, string? DisplayName);

/// <summary>A member of staff (or an admin) and whether they are connected right now.</summary>
public sealed record StaffMemberDto(Guid Id, Role Role, string? DisplayName, bool Online, DateTime? LastSeenAt);

public sealed class UserService(MedChatDb db, TimeProvider time, IChatEvents events, IPresenceStore presence)
{
    /// <summary>Every user, for the admin screen. The clinic's user count is small; no paging yet.</summary>
    public async Task<IReadOnlyList<MeDto>> ListAsync(Principal who, CancellationToken ct)
    {
        var caller = await db.BeginAsync(who, ct);
        if (caller.Role != Role.Admin) throw new ForbiddenException("Only admins may list users.");
        var users = await db.Users.AsNoTracking().OrderBy(u => u.Role).ThenBy(u => u.DisplayName)
            .Select(u => new MeDto(u.Id, u.Role, u.DisplayName)).ToListAsync(ct);
        await db.CommitAsync(ct);
        return users;
    }

    /// <summary>Staff and admins with their presence: who in the clinic is online, for the staff console.</summary>
    public async Task<IReadOnlyList<StaffMemberDto>> StaffAsync(Principal who, CancellationToken ct)
    {
        var caller = await db.BeginAsync(who, ct);
        if (caller.Role == Role.Patient) throw new ForbiddenException("Only staff and admins may list staff.");
        var staff = await db.Users.AsNoTracking().Where(u => u.Role != Role.Patient).OrderBy(u => u.DisplayName).ToListAsync(ct);
        await db.CommitAsync(ct);
        var state = await presence.GetAsync(staff.Select(u => u.Id).ToList(), Web.Clock.UtcNow(time));
        return staff.Select(u => new StaffMemberDto(u.Id, u.Role, u.DisplayName, state[u.Id].Online, state[u.Id].LastSeenAt)).ToList();
    }

    public async Task<MeDto> MeAsync(Principal who, CancellationToken ct)
    {
        var caller = await db.BeginAsync(who, ct);
        var user = await db.Users.AsNoTracking().SingleAsync(u => u.Id == caller.Id, ct);
        await db.CommitAsync(ct);
        return new MeDto(user.Id, user.Role, user.DisplayName);
    }

    /// <summary>Sets a user's role (and name); a subject never seen is created, which is how staff are pre-provisioned.</summary>
    public async Task<MeDto> UpdateAsync(Principal who, Guid id, Role? role, string? displayName, CancellationToken ct)
    {
        var v = new Validator();
        v.Check(role is not null, "role", "role is required.");
        displayName = v.Text(displayName, "displayName", 1, 200, required: false);
        v.ThrowIfAny();

        var caller = await db.BeginAsync(who, ct);
        if (caller.Role != Role.Admin) throw new ForbiddenException("Only admins may change users.");
        var now = time.UtcNow();
        var user = await db.Users.SingleOrDefaultAsync(u => u.Id == id, ct);
        if (user is null)
        {
            user = new User { Id = id, CreatedAt = now };
            db.Users.Add(user);
        }
        var roleChanged = user.Role != role!.Value;
        user.Role = role.Value;
        if (displayName is not null) user.DisplayName = displayName;
        user.UpdatedAt = now;
        await db.CommitAuditedAsync(caller, roleChanged ? "user.role" : "user.update", null, now, ct);
        if (roleChanged) await events.RoleChangedAsync(id);
        return new MeDto(user.Id, user.Role, user.DisplayName);
    }
}

public static class IdentityEndpoints
{
    public static void MapIdentity(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/me", GetMe).RequireAuthorization().WithName("GetMe").WithTags("Identity")
            .WithSummary("The caller: id, role (from the database) and display name.");
        app.MapPut("/api/admin/users/{id}", PutUser).RequireAuthorization().WithName("PutUser").WithTags("Admin")
            .WithSummary("Set a user's role and display name; creates a user never seen (pre-provisioning).")
            .ProducesProblem(400).ProducesProblem(403);
        app.MapGet("/api/admin/users", ListUsers).RequireAuthorization().WithName("ListUsers").WithTags("Admin")
            .WithSummary("Every user with their role (admin).").ProducesProblem(403);
        app.MapGet("/api/staff", ListStaff).RequireAuthorization().WithName("ListStaff").WithTags("Identity")
            .WithSummary("Staff and admins, and whether each is online (staff, admin).").ProducesProblem(403);
    }

    private static async Task<Microsoft.AspNetCore.Http.HttpResults.Ok<IReadOnlyList<MeDto>>> ListUsers(System.Security.Claims.ClaimsPrincipal user, UserService users, CancellationToken ct) =>
        TypedResults.Ok(await users.ListAsync(Principal.From(user), ct));

    private static async Task<Microsoft.AspNetCore.Http.HttpResults.Ok<IReadOnlyList<StaffMemberDto>>> ListStaff(System.Security.Claims.ClaimsPrincipal user, UserService users, CancellationToken ct) =>
        TypedResults.Ok(await users.StaffAsync(Principal.From(user), ct));

    private static async Task<Microsoft.AspNetCore.Http.HttpResults.Ok<MeDto>> GetMe(System.Security.Claims.ClaimsPrincipal user, UserService users, CancellationToken ct) =>
        TypedResults.Ok(await users.MeAsync(Principal.From(user), ct));

    private static async Task<Microsoft.AspNetCore.Http.HttpResults.Ok<MeDto>> PutUser(Guid id, UpdateUserRequest body, System.Security.Claims.ClaimsPrincipal user, UserService users, CancellationToken ct) =>
        TypedResults.Ok(await users.UpdateAsync(Principal.From(user), id, body.Role, body.DisplayName, ct));
}
