using MedChat.Api.Audit;
using MedChat.Api.Realtime;
using MedChat.Api.Data;
using MedChat.Api.Web;
using Microsoft.EntityFrameworkCore;

namespace MedChat.Api.Identity;

public sealed record MeDto(Guid Id, Role Role, string? DisplayName);

public sealed record UpdateUserRequest(Role? Role, string? DisplayName);

public sealed class UserService(MedChatDb db, TimeProvider time, IChatEvents events)
{
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
    }

    private static async Task<Microsoft.AspNetCore.Http.HttpResults.Ok<MeDto>> GetMe(System.Security.Claims.ClaimsPrincipal user, UserService users, CancellationToken ct) =>
        TypedResults.Ok(await users.MeAsync(Principal.From(user), ct));

    private static async Task<Microsoft.AspNetCore.Http.HttpResults.Ok<MeDto>> PutUser(Guid id, UpdateUserRequest body, System.Security.Claims.ClaimsPrincipal user, UserService users, CancellationToken ct) =>
        TypedResults.Ok(await users.UpdateAsync(Principal.From(user), id, body.Role, body.DisplayName, ct));
}
