using System.Globalization;
using System.Security.Claims;
using MedChat.Api.Realtime;
using Microsoft.AspNetCore.SignalR;
using StackExchange.Redis;

namespace MedChat.Api.Limits;

public static class LimitSetup
{
    public static void AddMedChatLimits(this WebApplicationBuilder builder)
    {
        var options = builder.Configuration.GetSection("Limits").Get<LimitOptions>() ?? new LimitOptions();
        if (options.SendsPerMinute < 1 || options.RequestsPerMinute < 1 || options.TypingPerMinute < 1)
            throw new InvalidOperationException("Limits:SendsPerMinute, RequestsPerMinute and TypingPerMinute must be at least 1.");
        builder.Services.AddSingleton(options);
        builder.Services.AddSingleton<MemoryLimitCounter>();
        // Redis when scale-out is configured (the multiplexer is registered then), so limits hold across nodes.
        builder.Services.AddSingleton<ILimitCounter>(sp => sp.GetService<IConnectionMultiplexer>() is { } redis
            ? ActivatorUtilities.CreateInstance<RedisLimitCounter>(sp, redis)
            : sp.GetRequiredService<MemoryLimitCounter>());
        builder.Services.AddScoped<UserLimits>();
        builder.Services.AddSingleton<HubLimits>();
        builder.Services.Configure<HubOptions>(o => o.AddFilter<HubLimits>());
    }

    /// <summary>
    /// Counts every request against the caller's request limit (by user, or by client address without
    /// a valid token). Sends are refused by the send path instead, which can see an emergency.
    /// </summary>
    public static void UseMedChatLimits(this WebApplication app)
    {
        app.Use(async (http, next) =>
        {
            // Load balancer probes are not a user's requests.
            if (http.Request.Path.StartsWithSegments("/health"))
            {
                await next(http);
                return;
            }
            var limits = http.RequestServices.GetRequiredService<UserLimits>();
            var decision = await limits.RequestAsync(Who(http.User, http.Connection.RemoteIpAddress?.ToString()));
            // IETF RateLimit headers on every answer, errors included (OnStarting survives the exception handler's reset).
            http.Response.OnStarting(() =>
            {
                var h = http.Response.Headers;
                h["RateLimit-Limit"] = decision.Limit.ToString(CultureInfo.InvariantCulture);
                h["RateLimit-Remaining"] = decision.Remaining.ToString(CultureInfo.InvariantCulture);
                h["RateLimit-Reset"] = decision.ResetSeconds.ToString(CultureInfo.InvariantCulture);
                return Task.CompletedTask;
            });
            if (!decision.Allowed && !IsSend(http))
                throw limits.TooMany("requests", http.RequestServices.GetRequiredService<LimitOptions>().RequestsPerMinute, decision);
            await next(http);
        });
    }

    internal static string Who(ClaimsPrincipal user, string? address) =>
        user.Identity?.IsAuthenticated == true && user.FindFirstValue("sub") is { } sub ? "user:" + sub : "ip:" + (address ?? "unknown");

    private static bool IsSend(HttpContext http) =>
        HttpMethods.IsPost(http.Request.Method) &&
        http.GetEndpoint()?.Metadata.GetMetadata<IEndpointNameMetadata>()?.EndpointName is "SendMessage" or "Chat";
}

/// <summary>
/// Every hub call counts against the caller's request limit. Over it, a call fails with a HubException
/// saying "retry after N s" (HubErrors words it), a send is left to the send path (emergencies pass),
/// and typing is dropped silently, as it is when typing alone is too frequent.
/// </summary>
public sealed class HubLimits : IHubFilter
{
    public async ValueTask<object?> InvokeMethodAsync(HubInvocationContext invocation, Func<HubInvocationContext, ValueTask<object?>> next)
    {
        var limits = invocation.ServiceProvider.GetRequiredService<UserLimits>();
        var user = invocation.Context.User ?? new ClaimsPrincipal();
        var decision = await limits.RequestAsync(Who(user, invocation.Context.GetHttpContext()?.Connection.RemoteIpAddress?.ToString()));
        switch (invocation.HubMethodName)
        {
            case nameof(ChatHub.Typing):
                if (!decision.Allowed || !Guid.TryParse(user.FindFirstValue("sub"), out var id) || !await limits.TypingAsync(id)) return null;
                break;
            case nameof(ChatHub.SendMessage):
                break;
            default:
                if (!decision.Allowed)
                    throw limits.TooMany("requests", invocation.ServiceProvider.GetRequiredService<LimitOptions>().RequestsPerMinute, decision);
                break;
        }
        return await next(invocation);
    }

    private static string Who(ClaimsPrincipal user, string? address) => LimitSetup.Who(user, address);
}
