namespace MedChat.Api.Web;

/// <summary>
/// The few ways a request can fail on purpose. Services throw these; <see cref="ProblemMapping"/>
/// turns each into one application/problem+json response, so handlers hold no try/catch.
/// </summary>
public abstract class ApiException(int status, string title, string detail) : Exception(detail)
{
    public int Status { get; } = status;
    public string Title { get; } = title;
}

/// <summary>404: missing, or not the caller's to see (never reveal which).</summary>
public sealed class NotFoundException(string detail) : ApiException(StatusCodes.Status404NotFound, "Not found", detail)
{
    /// <summary>The conversation asked for, so a refusal of one that exists can be audited as denied.</summary>
    public Guid? ConversationId { get; private init; }

    public static NotFoundException Conversation(Guid id) => new($"Conversation {id} was not found.") { ConversationId = id };
}

/// <summary>403: an action the caller's role may never take.</summary>
public sealed class ForbiddenException(string detail) : ApiException(StatusCodes.Status403Forbidden, "Forbidden", detail);

/// <summary>409: the action does not fit the resource's current state.</summary>
public sealed class ConflictException(string detail) : ApiException(StatusCodes.Status409Conflict, "Conflict", detail);

/// <summary>429: a per-user limit is used up.</summary>
public sealed class TooManyRequestsException(string detail, TimeSpan retryAfter)
    : ApiException(StatusCodes.Status429TooManyRequests, "Too many requests", detail)
{
    public TimeSpan RetryAfter { get; } = retryAfter;
}

/// <summary>400 with an <c>errors</c> map naming each bad field.</summary>
public sealed class ValidationException(IDictionary<string, string[]> errors)
    : ApiException(StatusCodes.Status400BadRequest, "Invalid request", "One or more values are invalid: " + string.Join(", ", errors.Keys) + ".")
{
    public IDictionary<string, string[]> Errors { get; } = errors;

    public static ValidationException For(string field, string message) => new(new Dictionary<string, string[]> { [field] = [message] });
}

/// <summary>Collects field errors and throws them together.</summary>
public sealed class Validator
{
    private readonly Dictionary<string, List<string>> _errors = [];

    public Validator Add(string field, string message)
    {
        if (!_errors.TryGetValue(field, out var list)) _errors[field] = list = [];
        list.Add(message);
        return this;
    }

    public Validator Check(bool ok, string field, string message) => ok ? this : Add(field, message);

    /// <summary>Text of <paramref name="min"/>–<paramref name="max"/> characters after trimming, without NUL. Returns it trimmed.</summary>
    public string? Text(string? value, string field, int min, int max, bool required = true)
    {
        if (value is null)
        {
            if (required) Add(field, $"{field} is required.");
            return null;
        }
        var trimmed = value.Trim();
        if (trimmed.Contains('\0')) Add(field, $"{field} must not contain NUL characters.");
        else if (trimmed.Length < min) Add(field, $"{field} must not be empty.");
        else if (trimmed.Length > max) Add(field, $"{field} must be at most {max} characters.");
        return trimmed;
    }

    public long? Range(long? value, string field, long min, long max)
    {
        if (value is { } v && (v < min || v > max))
            Add(field, max == long.MaxValue ? $"{field} must be at least {min}." : $"{field} must be between {min} and {max}.");
        return value;
    }

    public void ThrowIfAny()
    {
        if (_errors.Count > 0) throw new ValidationException(_errors.ToDictionary(kv => kv.Key, kv => kv.Value.ToArray()));
    }
}
