using System.Net.Http.Headers;
using System.Net.Http.Json;
using MedChat.Client;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;

namespace MedChat.Bench;

/// <summary>Users, conversations and connections for the measurements, made through the public API.</summary>
internal sealed class Setup(Stack stack, HttpClient http)
{
    public sealed record Patient(Guid Id, string Token, MedChatClient Client, Guid ConversationId);

    /// <summary>A patient (created on first sight) with one conversation of their own.</summary>
    public async Task<Patient> PatientAsync(CancellationToken ct)
    {
        var id = Guid.CreateVersion7();
        var token = stack.Tokens.For(id);
        var client = new MedChatClient(http, token) { SendRetries = 0 };
        var c = await client.CreateConversationAsync("bench", ct);
        return new Patient(id, token, client, c.Id);
    }

    public async Task<List<Patient>> PatientsAsync(int count, CancellationToken ct)
    {
        var result = new Patient[count];
        await Parallel.ForAsync(0, count, new ParallelOptions { MaxDegreeOfParallelism = 16, CancellationToken = ct },
            async (i, c) => result[i] = await PatientAsync(c));
        return [.. result];
    }

    /// <summary>A staff member: the bootstrap admin sets the role (PUT /api/admin/users/{id}).</summary>
    public async Task<(Guid Id, string Token)> StaffAsync(CancellationToken ct)
    {
        var id = Guid.CreateVersion7();
        using var put = new HttpRequestMessage(HttpMethod.Put, $"api/admin/users/{id}") { Content = JsonContent.Create(new { role = "staff", displayName = "Bench staff" }) };
        put.Headers.Authorization = new AuthenticationHeaderValue("Bearer", stack.Tokens.For(stack.AdminId));
        using var r = await http.SendAsync(put, ct);
        r.EnsureSuccessStatusCode();
        return (id, stack.Tokens.For(id));
    }

    public Task AssignAsync(Guid conversationId, Guid staffId, CancellationToken ct) =>
        new MedChatClient(http, stack.Tokens.For(stack.AdminId)).AssignAsync(conversationId, staffId, ct);

    /// <summary>A raw hub connection over WebSockets (no negotiate round trip), JSON protocol as the contract says.</summary>
    public static HubConnection Hub(Uri server, string token) => new HubConnectionBuilder()
        .WithUrl(new Uri(server, "hubs/chat"), o =>
        {
            o.AccessTokenProvider = () => Task.FromResult<string?>(token);
            o.SkipNegotiation = true;
            o.Transports = HttpTransportType.WebSockets;
        })
        .AddJsonProtocol(o => MedChatJson.Configure(o.PayloadSerializerOptions))
        .Build();

    public static HttpClient HttpFor(Uri server) => new(new SocketsHttpHandler
    {
        MaxConnectionsPerServer = int.MaxValue,
        PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5),
        UseProxy = false,
    })
    {
        BaseAddress = server,
        Timeout = TimeSpan.FromSeconds(60),
    };
}
