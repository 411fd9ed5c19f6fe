using System.Net.Http.Headers;
using MedChat.Api.Web;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace MedChat.Tests.Infrastructure;

public sealed record TestUser(Guid Id, Role Role, string Token);

/// <summary>
/// The API on a real Kestrel socket over its own copy of the migrated database. One per test class;
/// each test starts with <see cref="ResetAsync"/>. Tokens are real HS256 JWTs.
/// </summary>
public class MedChatApp : WebApplicationFactory<Program>, IAsyncLifetime
{
    public const string SigningKey = "medchat-tests-signing-key-0123456789abcdef";
    public static readonly Guid BootstrapAdmin = Guid.Parse("0194f000-0000-7000-8000-00000000b00c");

    public string OwnerConnection { get; private set; } = "";

    /// <summary>Share a database with another node instead of getting a fresh one.</summary>
    public string? ExistingDatabase { get; init; }

    /// <summary>Scale-out: the Redis this node uses as backplane and presence store.</summary>
    public string? RedisConfiguration { get; init; }
    public Uri BaseAddress { get; private set; } = null!;

    protected virtual void Configure(IWebHostBuilder builder)
    {
    }

    public async ValueTask InitializeAsync()
    {
        OwnerConnection = ExistingDatabase ?? await TestCluster.Instance.CreateDatabaseAsync();
        UseKestrel(0);
        StartServer();
        var address = Services.GetRequiredService<Microsoft.AspNetCore.Hosting.Server.IServer>()
            .Features.Get<Microsoft.AspNetCore.Hosting.Server.Features.IServerAddressesFeature>()!.Addresses.First();
        BaseAddress = new Uri(address.Replace("[::]", "127.0.0.1", StringComparison.Ordinal).Replace("0.0.0.0", "127.0.0.1", StringComparison.Ordinal));
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.UseSetting("ConnectionStrings:Postgres", OwnerConnection);
        builder.UseSetting("Auth:SigningKey", SigningKey);
        builder.UseSetting("Auth:BootstrapAdmins:0", BootstrapAdmin.ToString());
        builder.UseSetting("Logging:LogLevel:Default", "Warning");
        if (RedisConfiguration is not null) builder.UseSetting("Redis:Configuration", RedisConfiguration);
        Configure(builder);
    }

    public TokenIssuer Tokens => Services.GetRequiredService<TokenIssuer>();

    public string Token(Guid subject, string? name = null, TimeSpan? lifetime = null) =>
        Tokens.Issue(subject, name, lifetime ?? TimeSpan.FromHours(1));

    /// <summary>A user with a role, written as the owner (as an admin would provision them).</summary>
    public async Task<TestUser> UserAsync(Role role = Role.Patient, string? name = null)
    {
        var id = Guid.CreateVersion7();
        await ExecuteAsOwnerAsync("INSERT INTO users (id, role, display_name, created_at, updated_at) VALUES ($1, $2, $3, now(), now())",
            id, role.ToString().ToLowerInvariant(), (object?)name ?? DBNull.Value);
        return new TestUser(id, role, Token(id, name));
    }

    public HttpClient Client(TestUser? user = null) => Client(user?.Token);

    public HttpClient Client(string? token)
    {
        var client = new HttpClient { BaseAddress = BaseAddress };
        if (token is not null) client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    public HubConnection Hub(TestUser user) => Hub(user.Token);

    public HubConnection Hub(string token) => new HubConnectionBuilder()
        .WithUrl(new Uri(BaseAddress, "/hubs/chat"), o =>
        {
            o.AccessTokenProvider = () => Task.FromResult<string?>(token);
            o.Transports = Microsoft.AspNetCore.Http.Connections.HttpTransportType.WebSockets;
            o.SkipNegotiation = true;
        })
        .AddJsonProtocol(o => Json.Configure(o.PayloadSerializerOptions))
        .Build();

    /// <summary>
    /// Empties every table: each test starts from nothing. The previous test's hub connections may
    /// still be closing (presence work in flight), so a deadlock with them is retried.
    /// </summary>
    public async Task ResetAsync()
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await ExecuteAsOwnerAsync("TRUNCATE audit_log, receipts, messages, conversations, users CASCADE");
                return;
            }
            catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.DeadlockDetected && attempt < 5)
            {
                await Task.Delay(100 * attempt);
            }
        }
    }

    public async Task ExecuteAsOwnerAsync(string sql, params object[] args)
    {
        await using var conn = new NpgsqlConnection(OwnerConnection);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand(sql, conn);
        foreach (var a in args) cmd.Parameters.Add(new NpgsqlParameter { Value = a });
        await cmd.ExecuteNonQueryAsync();
    }

    public async Task<T?> ScalarAsOwnerAsync<T>(string sql, params object[] args)
    {
        await using var conn = new NpgsqlConnection(OwnerConnection);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand(sql, conn);
        foreach (var a in args) cmd.Parameters.Add(new NpgsqlParameter { Value = a });
        var result = await cmd.ExecuteScalarAsync();
        return result is null or DBNull ? default : (T)result;
    }

    public new async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        GC.SuppressFinalize(this);
    }
}

/// <summary>Base for test classes: one app per class, a clean database per test.</summary>
public abstract class ApiTest(MedChatApp app) : IClassFixture<MedChatApp>, IAsyncLifetime
{
    protected MedChatApp App { get; } = app;
    protected static CancellationToken Ct => TestContext.Current.CancellationToken;

    public virtual async ValueTask InitializeAsync() => await App.ResetAsync();

    public virtual ValueTask DisposeAsync() => ValueTask.CompletedTask;
}

public static class HttpAssertions
{
    public static readonly System.Text.Json.JsonSerializerOptions JsonOptions = Json.Options;

    public static async Task<T> ReadAsync<T>(this HttpResponseMessage response, System.Net.HttpStatusCode expected)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"Expected {(int)expected}, got {(int)response.StatusCode}: {body}");
        return System.Text.Json.JsonSerializer.Deserialize<T>(body, JsonOptions)!;
    }

    /// <summary>Asserts a problem+json response with the status and, when given, an errors entry for the field.</summary>
    public static async Task<System.Text.Json.JsonElement> ProblemAsync(this HttpResponseMessage response, System.Net.HttpStatusCode expected, string? field = null)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"Expected {(int)expected}, got {(int)response.StatusCode}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var json = System.Text.Json.JsonDocument.Parse(body).RootElement;
        Assert.Equal((int)expected, json.GetProperty("status").GetInt32());
        Assert.False(string.IsNullOrWhiteSpace(json.GetProperty("detail").GetString()), "problem has no detail");
        if (field is not null)
            Assert.True(json.GetProperty("errors").TryGetProperty(field, out _), $"errors has no '{field}': {body}");
        return json;
    }

    public static async Task<T> ReadAsync<T>(this Task<HttpResponseMessage> response, System.Net.HttpStatusCode expected) =>
        await (await response).ReadAsync<T>(expected);

    public static async Task<System.Text.Json.JsonElement> ProblemAsync(this Task<HttpResponseMessage> response, System.Net.HttpStatusCode expected, string? field = null) =>
        await (await response).ProblemAsync(expected, field);

    public static Task<HttpResponseMessage> PostJsonAsync<T>(this HttpClient client, string url, T body) =>
        client.PostAsJsonAsync(url, body, JsonOptions);
}
