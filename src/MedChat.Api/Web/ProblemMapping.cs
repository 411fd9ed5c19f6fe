using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http.Features;
using Npgsql;

namespace MedChat.Api.Web;

/// <summary>The one place where a failure becomes an application/problem+json response.</summary>
public sealed partial class ProblemMapping(IProblemDetailsService problems, Audit.AuditDenials denials, ILogger<ProblemMapping> log) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext http, Exception exception, CancellationToken ct)
    {
        var (status, title, detail, errors) = Describe(exception);
        if (exception is NotFoundException or ForbiddenException)
            await denials.DeniedAsync(http.User, http.RequestServices.GetRequiredService<Audit.AuditContext>(), exception);
        if (status >= 500)
            log.LogError("Request {Method} {Path} failed with {Status}: {ExceptionType}", http.Request.Method, http.Request.Path, status, exception.GetType().Name);
        if (exception is TooManyRequestsException tooMany)
            http.Response.Headers.RetryAfter = ((int)Math.Ceiling(tooMany.RetryAfter.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);

        http.Response.StatusCode = status;
        var problem = errors is null
            ? new Microsoft.AspNetCore.Mvc.ProblemDetails()
            : new HttpValidationProblemDetails(errors);
        problem.Status = status;
        problem.Title = title;
        problem.Detail = detail;
        return await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = http, ProblemDetails = problem, Exception = exception });
    }

    /// <summary>Status, title, detail and field errors for any exception; shared with the hub.</summary>
    public static (int Status, string Title, string Detail, IDictionary<string, string[]>? Errors) Describe(Exception exception) => exception switch
    {
        ValidationException v => (v.Status, v.Title, v.Message, v.Errors),
        ApiException api => (api.Status, api.Title, api.Message, null),
        Microsoft.EntityFrameworkCore.DbUpdateConcurrencyException =>
            (409, "Conflict", "The conversation was changed by someone else at the same moment (for example, claimed); reload it and try again.", null),
        BadHttpRequestException { InnerException: JsonException json } => Json(json),
        BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge } =>
            (413, "Payload too large", "The request body is larger than this server accepts.", null),
        BadHttpRequestException bad => Binding(bad),
        JsonException json => Json(json),
        NpgsqlException or TimeoutException =>
            (503, "Service unavailable", "The database is unavailable right now; nothing was stored. Retry with the same clientMessageId.", null),
        OperationCanceledException => (499, "Client closed request", "The request was cancelled.", null),
        _ => (500, "Server error", "An unexpected error occurred; nothing was stored.", null),
    };

    private static (int, string, string, IDictionary<string, string[]>?) Json(JsonException json)
    {
        var where = json.Path is { Length: > 0 } p ? p : "$";
        var position = json.LineNumber is { } line ? $" (line {line + 1}, byte {json.BytePositionInLine + 1})" : "";
        var allowed = json.Message.StartsWith("Expected one of", StringComparison.Ordinal) ? " " + json.Message.Split(" Path:")[0] : "";
        var message = allowed.Length > 0 || json.InnerException is InvalidOperationException or FormatException || json.Message.Contains("could not be converted", StringComparison.Ordinal)
            ? $"The value at {where} has the wrong type or an unknown value{position}.{allowed}"
            : $"The request body is not valid JSON at {where}{position}.";
        return (400, "Invalid JSON", message, new Dictionary<string, string[]> { [where] = [message] });
    }

    private static (int, string, string, IDictionary<string, string[]>?) Binding(BadHttpRequestException bad)
    {
        var match = ParameterName().Match(bad.Message);
        var field = match.Success ? match.Groups["name"].Value : "request";
        var message = match.Success
            ? $"{field} has the wrong shape (route ids are UUIDs, numbers are whole numbers)."
            : bad.Message.Contains("body", StringComparison.OrdinalIgnoreCase) ? "A JSON request body is required." : "The request could not be read.";
        return (bad.StatusCode, "Invalid request", message, new Dictionary<string, string[]> { [field] = [message] });
    }

    [GeneratedRegex("parameter \"\\S+ (?<name>\\w+)\"")]
    private static partial Regex ParameterName();
}

public static class WebSetup
{
    /// <summary>Largest request body accepted (a message is at most 4,000 characters).</summary>
    public const long MaxBodyBytes = 64 * 1024;

    public static IServiceCollection AddMedChatWeb(this IServiceCollection services)
    {
        services.AddProblemDetails(o => o.CustomizeProblemDetails = c =>
        {
            c.ProblemDetails.Instance ??= c.HttpContext.Request.Path;
            c.ProblemDetails.Detail ??= c.ProblemDetails.Status switch
            {
                401 => "A valid bearer token is required (Authorization: Bearer <JWT>).",
                403 => "Your role may not take this action.",
                404 => "No such route or resource.",
                405 => "This route does not accept that method.",
                // Kestrel's body limit on a chunked body surfaces while the endpoint binds it, as a bare 413.
                413 => "The request body is larger than this server accepts.",
                415 => "Send the body as application/json.",
                _ => null,
            };
            c.ProblemDetails.Extensions["traceId"] = c.HttpContext.TraceIdentifier;
        });
        // After the framework's writer: it answers clients that accept JSON, this one everyone else.
        services.AddSingleton<IProblemDetailsWriter, AnyClientProblemWriter>();
        services.AddExceptionHandler<ProblemMapping>();
        services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        services.ConfigureHttpJsonOptions(o => Json.Configure(o.SerializerOptions));
        services.Configure<Microsoft.AspNetCore.Server.Kestrel.Core.KestrelServerOptions>(o => o.Limits.MaxRequestBodySize = MaxBodyBytes);
        return services;
    }

    public static void UseMedChatWeb(this WebApplication app)
    {
        app.UseExceptionHandler(new ExceptionHandlerOptions
        {
            // Expected failures are answered, not logged as errors; ProblemMapping logs the 5xx ones without content.
            SuppressDiagnosticsCallback = _ => true,
        });
        app.UseStatusCodePages();
        // Kestrel enforces MaxRequestBodySize itself; this also covers hosts that do not (the test server)
        // and refuses early when the client declares an oversized body.
        app.Use((http, next) =>
        {
            if (http.Request.ContentLength > MaxBodyBytes)
                throw new BadHttpRequestException("Request body too large.", StatusCodes.Status413PayloadTooLarge);
            if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } size)
                size.MaxRequestBodySize = MaxBodyBytes;
            return next(http);
        });
    }
}

/// <summary>
/// The framework's problem writer declines a client whose Accept names neither JSON nor */* (a
/// streaming client sends <c>Accept: text/event-stream</c>). It then leaves an empty body, and for
/// a 404 the exception handler even turns the failure into a 500. A problem is still the most
/// useful answer to such a client, so this writer, registered after the framework's, writes it
/// anyway with the same defaults and customisation.
/// </summary>
public sealed class AnyClientProblemWriter(Microsoft.Extensions.Options.IOptions<ProblemDetailsOptions> options) : IProblemDetailsWriter
{
    public bool CanWrite(ProblemDetailsContext context) => true;

    public ValueTask WriteAsync(ProblemDetailsContext context)
    {
        var http = context.HttpContext;
        var problem = context.ProblemDetails;
        problem.Status ??= http.Response.StatusCode;
        var status = problem.Status.Value;
        problem.Type ??= status switch
        {
            429 => "https://tools.ietf.org/html/rfc6585#section-4",
            >= 400 and <= 417 => $"https://tools.ietf.org/html/rfc9110#section-15.5.{status - 399}",
            >= 500 and <= 505 => $"https://tools.ietf.org/html/rfc9110#section-15.6.{status - 499}",
            _ => "about:blank",
        };
        problem.Title ??= Microsoft.AspNetCore.WebUtilities.ReasonPhrases.GetReasonPhrase(status);
        options.Value.CustomizeProblemDetails?.Invoke(context);
        return new ValueTask(http.Response.WriteAsJsonAsync(problem, problem.GetType(), Json.Options, "application/problem+json", http.RequestAborted));
    }
}
