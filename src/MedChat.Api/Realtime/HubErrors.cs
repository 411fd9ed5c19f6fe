using MedChat.Api.Web;
using Microsoft.AspNetCore.SignalR;

namespace MedChat.Api.Realtime;

/// <summary>
/// Every hub failure becomes a HubException with a message a client author can act on ("… was not
/// found", the invalid field, "retry after N s" from the per-user limits in Limits/), and the
/// connection stays open.
/// </summary>
public sealed class HubErrors(Audit.AuditDenials denials, ILogger<HubErrors> log) : IHubFilter
{
    public async ValueTask<object?> InvokeMethodAsync(HubInvocationContext invocation, Func<HubInvocationContext, ValueTask<object?>> next)
    {
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
}
