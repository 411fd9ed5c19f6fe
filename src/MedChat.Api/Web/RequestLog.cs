using System.Diagnostics;
using System.Security.Claims;

namespace MedChat.Api.Web;

/// <summary>
/// One structured line per request: method, route template, status, time, caller id. Never the
/// query string (the hub's access_token rides there), bodies, names or message content.
/// </summary>
public static class RequestLog
{
    public static void UseRequestLog(this WebApplication app)
    {
        var log = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("MedChat.Requests");
        app.Use(async (http, next) =>
        {
            var started = Stopwatch.GetTimestamp();
            try
            {
                await next(http);
            }
            finally
            {
                var route = (http.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText ?? "(no route)";
                log.LogInformation("{Method} {Route} {Status} in {ElapsedMs:0.0} ms for {UserId} trace {TraceId}",
                    http.Request.Method, route, http.Response.StatusCode, Stopwatch.GetElapsedTime(started).TotalMilliseconds,
                    http.User.FindFirstValue("sub") ?? "-", http.TraceIdentifier);
            }
        });
    }
}
