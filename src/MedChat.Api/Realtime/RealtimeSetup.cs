using MedChat.Api.Web;
using Microsoft.AspNetCore.SignalR;

namespace MedChat.Api.Realtime;

public static class RealtimeSetup
{
    public const int MaxMessageBytes = 32 * 1024;

    public static void AddMedChatRealtime(this WebApplicationBuilder builder)
    {
        builder.Services.AddSignalR(o =>
        {
            o.MaximumReceiveMessageSize = MaxMessageBytes;
            // Binding failures (a conversationId that is not a UUID) then name the problem; all other
            // exceptions are turned into safe messages by HubErrors before they reach the client.
            o.EnableDetailedErrors = true;
            o.AddFilter<HubErrors>();
        }).AddJsonProtocol(o => Json.Configure(o.PayloadSerializerOptions));

        builder.Services.AddSingleton<IUserIdProvider, SubjectUserIdProvider>();
        builder.Services.AddSingleton<HubErrors>();
        builder.Services.AddSingleton<Connections>();
        builder.Services.AddSingleton<TypingTracker>();
        builder.Services.AddSingleton<PresenceService>();
        builder.Services.AddSingleton<AccessGuard>();
        builder.Services.AddSingleton<IChatEvents, HubEvents>();

        // Single node by default; ScaleOut replaces these two when Redis is configured.
        builder.Services.AddSingleton<IPresenceStore, InMemoryPresenceStore>();
        builder.Services.AddSingleton<IAccessNotifier>(sp => sp.GetRequiredService<AccessGuard>());
    }

    /// <summary>Clients.User(id) addresses the token's subject (claims are not mapped to NameIdentifier here).</summary>
    private sealed class SubjectUserIdProvider : IUserIdProvider
    {
        public string? GetUserId(HubConnectionContext connection) => connection.User.FindFirst("sub")?.Value;
    }

    public static void MapMedChatHub(this WebApplication app) =>
        // The token's expiry ends the connection: a hub session cannot outlive its credentials.
        app.MapHub<ChatHub>("/hubs/chat", o => o.CloseOnAuthenticationExpiration = true);
}
