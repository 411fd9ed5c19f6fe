using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace MedChat.Client;

/// <summary>
/// The REST API, typed. Give it an HttpClient whose BaseAddress is the server; the token comes from
/// <paramref name="token"/> on every call, so a refreshed token is picked up without a new client.
/// </summary>
public sealed class MedChatClient(HttpClient http, Func<CancellationToken, ValueTask<string>> token)
{
    /// <summary>How often a send is retried after a timeout, a 5xx or a dropped connection.</summary>
    public int SendRetries { get; init; } = 3;

    public MedChatClient(HttpClient http, string token) : this(http, _ => ValueTask.FromResult(token))
    {
    }

    public Task<Me> MeAsync(CancellationToken ct = default) => SendAsync<Me>(HttpMethod.Get, "api/me", null, ct);

    public Task<ConversationPage> ListConversationsAsync(string scope = "mine", string? status = null, int limit = 50, string? cursor = null, CancellationToken ct = default)
    {
        var query = $"api/chat/conversations?scope={scope}&limit={limit}";
        if (status is not null) query += "&status=" + Uri.EscapeDataString(status);
        if (cursor is not null) query += "&cursor=" + Uri.EscapeDataString(cursor);
        return SendAsync<ConversationPage>(HttpMethod.Get, query, null, ct);
    }

    public Task<Conversation> CreateConversationAsync(string? title = null, CancellationToken ct = default) =>
        SendAsync<Conversation>(HttpMethod.Post, "api/chat/conversations", new { title }, ct);

    public Task<Conversation> GetConversationAsync(Guid id, CancellationToken ct = default) =>
        SendAsync<Conversation>(HttpMethod.Get, $"api/chat/conversations/{id}", null, ct);

    public Task<Conversation> ChangeStatusAsync(Guid id, ConversationStatus? status = null, Priority? priority = null, CancellationToken ct = default) =>
        SendAsync<Conversation>(HttpMethod.Patch, $"api/chat/{id}/status", new { status, priority }, ct);

    public Task<Conversation> ClaimAsync(Guid id, CancellationToken ct = default) =>
        SendAsync<Conversation>(HttpMethod.Post, $"api/chat/{id}/claim", null, ct);

    public Task<Conversation> AssignAsync(Guid id, Guid? staffId, CancellationToken ct = default) =>
        SendAsync<Conversation>(HttpMethod.Put, $"api/chat/{id}/assignee", new { staffId }, ct);

    public Task<MessagePage> ListMessagesAsync(Guid conversationId, long? after = null, long? before = null, int limit = 50, CancellationToken ct = default)
    {
        var query = $"api/chat/{conversationId}/messages?limit={limit}";
        if (after is not null) query += $"&after={after}";
        if (before is not null) query += $"&before={before}";
        return SendAsync<MessagePage>(HttpMethod.Get, query, null, ct);
    }

    /// <summary>
    /// Posts a message. The clientMessageId is chosen once (a new UUID unless given) and kept for
    /// every retry, so a send whose answer was lost is stored once: the server returns the original.
    /// </summary>
    public async Task<Message> SendMessageAsync(Guid conversationId, string content, string? clientMessageId = null, CancellationToken ct = default)
    {
        var body = new { content, clientMessageId = clientMessageId ?? Guid.NewGuid().ToString() };
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                return await SendAsync<Message>(HttpMethod.Post, $"api/chat/{conversationId}/messages", body, ct);
            }
            catch (Exception e) when (attempt < SendRetries && IsTransient(e, ct))
            {
                await Task.Delay(Backoff(attempt), ct);
            }
        }
    }

    public async Task MarkAsync(Guid conversationId, long? deliveredSeq = null, long? readSeq = null, CancellationToken ct = default) =>
        await SendAsync<JsonElement?>(HttpMethod.Post, $"api/chat/{conversationId}/receipts", new { deliveredSeq, readSeq }, ct);

    public Task<IReadOnlyList<Receipt>> ReceiptsAsync(Guid conversationId, CancellationToken ct = default) =>
        SendAsync<IReadOnlyList<Receipt>>(HttpMethod.Get, $"api/chat/{conversationId}/receipts", null, ct);

    public Task<IReadOnlyList<UserInfo>> ListUsersAsync(CancellationToken ct = default) =>
        SendAsync<IReadOnlyList<UserInfo>>(HttpMethod.Get, "api/admin/users", null, ct);

    public Task<UserInfo> UpdateUserAsync(Guid id, Role role, string? displayName = null, CancellationToken ct = default) =>
        SendAsync<UserInfo>(HttpMethod.Put, $"api/admin/users/{id}", new { role, displayName }, ct);

    public Task<IReadOnlyList<StaffMember>> ListStaffAsync(CancellationToken ct = default) =>
        SendAsync<IReadOnlyList<StaffMember>>(HttpMethod.Get, "api/staff", null, ct);

    public Task<AuditPage> AuditAsync(int limit = 50, string? cursor = null, CancellationToken ct = default) =>
        SendAsync<AuditPage>(HttpMethod.Get, $"api/admin/audit?limit={limit}" + (cursor is null ? "" : "&cursor=" + Uri.EscapeDataString(cursor)), null, ct);

    /// <summary>
    /// <c>POST /api/chat</c> as a server-sent event stream: the stored message, the triage, the reply
    /// as it is written (delta events), the stored reply, then <c>done</c>. A failure before the
    /// stream starts throws; one after it is an <c>error</c> event.
    /// </summary>
    public async IAsyncEnumerable<ChatEvent> ChatStreamAsync(Guid? conversationId, string message, string clientMessageId,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct = default)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "api/chat");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", await token(ct));
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
        // In a browser, read the body as it arrives instead of after it ends.
        request.Options.Set(new HttpRequestOptionsKey<bool>("WebAssemblyEnableStreamingResponse"), true);
        request.Content = JsonContent.Create(new { conversationId, message, clientMessageId }, options: MedChatJson.Options);
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
        if (!response.IsSuccessStatusCode) throw await ProblemAsync(response, ct);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(ct));
        string? name = null;
        var data = new System.Text.StringBuilder();
        while (await reader.ReadLineAsync(ct) is { } line)
        {
            if (line.StartsWith("event:", StringComparison.Ordinal)) name = line[6..].Trim();
            else if (line.StartsWith("data:", StringComparison.Ordinal)) data.Append(line[5..].TrimStart());
            else if (line.Length == 0 && name is not null)
            {
                var e = Parse(name, data.ToString());
                name = null;
                data.Clear();
                yield return e;
                if (e.Name is "done" or "error") yield break;
            }
        }
    }

    private static ChatEvent Parse(string name, string json) => name switch
    {
        "user-message" or "reply" => new ChatEvent(name, Message: JsonSerializer.Deserialize<Message>(json, MedChatJson.Options)),
        "triage" => new ChatEvent(name, Triage: JsonSerializer.Deserialize<Triage>(json, MedChatJson.Options)),
        "delta" => new ChatEvent(name, Delta: JsonDocument.Parse(json).RootElement.GetProperty("text").GetString()),
        "error" => new ChatEvent(name, Error: Problem(JsonDocument.Parse(json).RootElement, 502, null)),
        _ => new ChatEvent(name),
    };

    internal static bool IsTransient(Exception e, CancellationToken ct) => e switch
    {
        MedChatApiException api => api.Status >= 500,
        HttpRequestException => true,
        TaskCanceledException => !ct.IsCancellationRequested,
        _ => false,
    };

    internal static TimeSpan Backoff(int attempt) =>
        TimeSpan.FromMilliseconds(200 * Math.Pow(2, attempt) + Random.Shared.Next(0, 100));

    private async Task<T> SendAsync<T>(HttpMethod method, string path, object? body, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(method, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", await token(ct));
        if (body is not null) request.Content = JsonContent.Create(body, options: MedChatJson.Options);
        using var response = await http.SendAsync(request, ct);
        if (!response.IsSuccessStatusCode) throw await ProblemAsync(response, ct);
        if (response.StatusCode == HttpStatusCode.NoContent) return default!;
        return (await response.Content.ReadFromJsonAsync<T>(MedChatJson.Options, ct))!;
    }

    private static MedChatApiException Problem(JsonElement problem, int status, string? reason)
    {
        var errors = problem.TryGetProperty("errors", out var e) && e.ValueKind == JsonValueKind.Object ? e.Deserialize<Dictionary<string, string[]>>() : null;
        return new MedChatApiException(problem.TryGetProperty("status", out var s) && s.TryGetInt32(out var code) ? code : status,
            problem.TryGetProperty("title", out var t) ? t.GetString() : reason,
            problem.TryGetProperty("detail", out var d) ? d.GetString() : null, errors);
    }

    private static async Task<MedChatApiException> ProblemAsync(HttpResponseMessage response, CancellationToken ct)
    {
        try
        {
            return Problem(await response.Content.ReadFromJsonAsync<JsonElement>(ct), (int)response.StatusCode, response.ReasonPhrase);
        }
        catch (JsonException)
        {
            return new MedChatApiException((int)response.StatusCode, response.ReasonPhrase, null, null);
        }
    }
}
