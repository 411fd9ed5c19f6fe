using System.Text;

namespace MedChat.Tests.Messages;

/// <summary>The few steps the message, receipt and error tests take over HTTP, written once.</summary>
internal static class ChatSteps
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>A patient starts a conversation of their own.</summary>
    public static Task<ConversationDto> StartConversationAsync(this MedChatApp app, TestUser patient) =>
        app.Client(patient).PostJsonAsync("/api/chat/conversations", new { }).ReadAsync<ConversationDto>(HttpStatusCode.Created);

    /// <summary>A patient's conversation held by a staff member (asked for a person, then claimed).</summary>
    public static async Task<ConversationDto> StartHeldConversationAsync(this MedChatApp app, TestUser patient, TestUser staff)
    {
        var c = await app.StartConversationAsync(patient);
        await app.Client(patient).PatchAsJsonAsync($"/api/chat/{c.Id}/status", new { status = "awaiting_staff" }, HttpAssertions.JsonOptions, Ct)
            .ReadAsync<ConversationDto>(HttpStatusCode.OK);
        return await app.Client(staff).PostAsync($"/api/chat/{c.Id}/claim", null, Ct).ReadAsync<ConversationDto>(HttpStatusCode.OK);
    }

    public static Task<HttpResponseMessage> SendAsync(this HttpClient client, Guid conversationId, string content, string? clientMessageId = null) =>
        client.PostJsonAsync($"/api/chat/{conversationId}/messages",
            new { content, clientMessageId = clientMessageId ?? Guid.NewGuid().ToString() });

    /// <summary>Posts a message and expects it to be stored.</summary>
    public static Task<MessageDto> PostAsync(this HttpClient client, Guid conversationId, string content, string? clientMessageId = null) =>
        client.SendAsync(conversationId, content, clientMessageId).ReadAsync<MessageDto>(HttpStatusCode.Created);

    /// <summary>Posts a raw JSON body (for bodies a typed client would never produce).</summary>
    public static Task<HttpResponseMessage> PostRawAsync(this HttpClient client, string url, string json) =>
        client.PostAsync(url, new StringContent(json, Encoding.UTF8, "application/json"), Ct);

    public static Task<MessagePage> MessagesAsync(this HttpClient client, Guid conversationId, string query = "") =>
        client.GetAsync($"/api/chat/{conversationId}/messages{query}", Ct).ReadAsync<MessagePage>(HttpStatusCode.OK);

    public static Task<ConversationDto> ConversationAsync(this HttpClient client, Guid conversationId) =>
        client.GetAsync($"/api/chat/conversations/{conversationId}", Ct).ReadAsync<ConversationDto>(HttpStatusCode.OK);

    public static Task<HttpResponseMessage> MarkAsync(this HttpClient client, Guid conversationId, object receipt) =>
        client.PostJsonAsync($"/api/chat/{conversationId}/receipts", receipt);

    public static Task<List<ReceiptDto>> ReceiptsAsync(this HttpClient client, Guid conversationId) =>
        client.GetAsync($"/api/chat/{conversationId}/receipts", Ct).ReadAsync<List<ReceiptDto>>(HttpStatusCode.OK);

    /// <summary>What is really stored, read as the database owner (below the API and row-level security).</summary>
    public static async Task<long> StoredMessagesAsync(this MedChatApp app, Guid conversationId) =>
        await app.ScalarAsOwnerAsync<long>("SELECT count(*) FROM messages WHERE conversation_id = $1", conversationId);

    public static async Task<long> StoredReceiptsAsync(this MedChatApp app, Guid conversationId) =>
        await app.ScalarAsOwnerAsync<long>("SELECT count(*) FROM receipts WHERE conversation_id = $1", conversationId);

    /// <summary>Asserts the 400 problem's errors map names <paramref name="field"/> (bare, or as the JSON path <c>$.field</c>).</summary>
    public static void AssertErrorFor(this System.Text.Json.JsonElement problem, string field)
    {
        var keys = problem.GetProperty("errors").EnumerateObject().Select(p => p.Name).ToList();
        Assert.True(keys.Any(k => k == field || k == "$." + field), $"errors names [{string.Join(", ", keys)}], not {field}");
    }
}
