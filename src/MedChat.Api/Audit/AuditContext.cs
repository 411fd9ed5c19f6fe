using System.Security.Claims;
using MedChat.Api.Data;
using MedChat.Api.Identity;
using MedChat.Api.Web;
using Microsoft.EntityFrameworkCore;

namespace MedChat.Api.Audit;

/// <summary>
/// Where the current request (or hub call) came from, for the audit rows it writes: filled once per
/// request by <see cref="AuditSetup.UseAuditContext"/> and per hub call by the hub filter.
/// </summary>
public sealed class AuditContext
{
    public string? RequestId { get; set; }
    public string? ClientAddress { get; set; }

    public void From(HttpContext http, string? requestId = null)
    {
        RequestId = Truncate(requestId ?? http.TraceIdentifier);
        ClientAddress = Truncate(http.Connection.RemoteIpAddress?.ToString());
    }

    private static string? Truncate(string? s) => s is { Length: > 64 } ? s[..64] : s;
}

public static class AuditSetup
{
    public static IServiceCollection AddMedChatAudit(this IServiceCollection services)
    {
        services.AddScoped<AuditContext>();
        services.AddScoped<AuditService>();
        services.AddSingleton<AuditDenials>();
        return services;
    }

    /// <summary>
    /// Fills the request's <see cref="AuditContext"/>, and after the response records a failed sign-in
    /// (a 401 from a route that needs a token) in its own transaction: nobody is known, so no actor.
    /// </summary>
    public static void UseAuditContext(this WebApplication app)
    {
        app.Use(async (http, next) =>
        {
            http.RequestServices.GetRequiredService<AuditContext>().From(http);
            await next(http);
            if (http.Response.StatusCode == StatusCodes.Status401Unauthorized)
                await http.RequestServices.GetRequiredService<AuditDenials>().FailedSignInAsync(http);
        });
    }
}

/// <summary>
/// Denied accesses and failed sign-ins: the request's own transaction rolled back, so these are
/// written in a fresh one. A 404 is recorded as denied only when the conversation exists (asked
/// through a SECURITY DEFINER function; the caller's policies hide it).
/// </summary>
public sealed class AuditDenials(IServiceScopeFactory scopes, TimeProvider time, ILogger<AuditDenials> log)
{
    public async Task FailedSignInAsync(HttpContext http)
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<MedChatDb>();
            var context = http.RequestServices.GetRequiredService<AuditContext>();
            db.Audit.Add(new AuditEntry
            {
                At = time.UtcNow(), Action = AuditActions.AuthFailed, Outcome = AuditOutcome.Failed,
                RequestId = context.RequestId, ClientAddress = context.ClientAddress,
            });
            await db.SaveChangesAsync(CancellationToken.None);
        }
        catch (Exception e)
        {
            // The 401 is already answered; a trail that cannot be written is an operations alarm, not the caller's problem.
            log.LogError("Could not record a failed sign-in: {ExceptionType}", e.GetType().Name);
        }
    }

    /// <summary>Records a refusal (404 for a conversation that exists, or 403) by a signed-in caller.</summary>
    public async Task DeniedAsync(ClaimsPrincipal user, AuditContext context, Exception exception)
    {
        var (action, conversationId) = exception switch
        {
            NotFoundException { ConversationId: { } id } => (AuditActions.ConversationAccess, (Guid?)id),
            ForbiddenException => (AuditActions.Forbidden, null),
            _ => (null, null),
        };
        if (action is null || user.Identity?.IsAuthenticated != true) return;
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<MedChatDb>();
            var caller = await db.BeginAsync(Principal.From(user), CancellationToken.None);
            if (conversationId is { } cid &&
                !await db.Database.SqlQuery<bool>($"SELECT app_conversation_exists({cid}) AS \"Value\"").SingleAsync())
            {
                await db.CommitAsync(CancellationToken.None);
                return;
            }
            db.Audit.Add(new AuditEntry
            {
                At = time.UtcNow(), ActorId = caller.Id, ActorRole = caller.Role, Action = action, ConversationId = conversationId,
                Outcome = AuditOutcome.Denied, RequestId = context.RequestId, ClientAddress = context.ClientAddress,
            });
            await db.SaveChangesAsync(CancellationToken.None);
            await db.CommitAsync(CancellationToken.None);
        }
        catch (Exception e)
        {
            log.LogError("Could not record a denied access: {ExceptionType}", e.GetType().Name);
        }
    }
}
