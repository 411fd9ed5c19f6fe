using System.Threading.RateLimiting;
using MedChat.Api.Web;
using Microsoft.AspNetCore.SignalR;

namespace MedChat.Api.Realtime;

/// <summary>
/// Every hub failure becomes a HubException with a message a client author can act on ("… was not
/// found", the invalid field, the rate limit), and the connection stays open. Also the
/// per-connection rate limits on sends and typing.
/// </summary>
public sealed class HubErrors(Audit.AuditDenials denials, ILogger<HubErrors> log) : IHubFilter
{
    public const int SendsPerTenSeconds = 30;
    public const int TypingPerTenSeconds = 30;

    public async ValueTask<object?> InvokeMethodAsync(HubInvocationContext invocation, Func<HubInvocationContext, ValueTask<object?>> next)
    {
        var limiter = invocation.HubMethodName switch
        {
            nameof(ChatHub.SendMessage) => Limiter(invocation.Context, "send", SendsPerTenSeconds),
            nameof(ChatHub.Typing) => Limiter(invocation.Context, "typing", TypingPerTenSeconds),
            _ => null,
        };
        if (limiter is not null)
        {
            using var lease = limiter.AttemptAcquire();
            if (!lease.IsAcquired)
                throw new HubException($"Rate limit: at most {(invocation.HubMethodName == nameof(ChatHub.SendMessage) ? SendsPerTenSeconds : TypingPerTenSeconds)} {invocation.HubMethodName} calls per 10 seconds per connection; slow down and retry.");
        }
        var audit = invocation.ServiceProvider.GetRequiredService<Audit.AuditContext>();
        if (invocation.Context.GetHttpContext() is { } http) audit.From(http, "hub:" + invocation.Context.ConnectionId);
        try
        {
            return await next(invocation);
        }
        catch (HubException)
        {
            throw;
        }
        catch (Exception e)
        {
            var (status, _, detail, errors) = ProblemMapping.Describe(e);
            if (e is NotFoundException or ForbiddenException && invocation.Context.User is { } user) await denials.DeniedAsync(user, audit, e);
            if (status >= 500) log.LogError("Hub {Method} failed with {Status}: {ExceptionType}", invocation.HubMethodName, status, e.GetType().Name);
            var fields = errors is null ? "" : " " + string.Join(" ", errors.SelectMany(kv => kv.Value));
            throw new HubException(status == 404 ? $"Not found: {detail}" : $"{detail}{fields}");
        }
    }

    private static TokenBucketRateLimiter Limiter(HubCallerContext context, string key, int perTenSeconds) =>
        (TokenBucketRateLimiter)(context.Items.TryGetValue(key, out var existing) ? existing! : context.Items[key] = new TokenBucketRateLimiter(new()
        {
            TokenLimit = perTenSeconds,
            TokensPerPeriod = perTenSeconds,
            ReplenishmentPeriod = TimeSpan.FromSeconds(10),
            QueueLimit = 0,
            AutoReplenishment = true,
        }));
}
