using MedChat.Api.Assistant;
using MedChat.Api.Audit;
using MedChat.Api.Conversations;
using MedChat.Api.Data;
using MedChat.Api.Identity;
using MedChat.Api.Export;
using MedChat.Api.Limits;
using MedChat.Api.Telemetry;
using MedChat.Api.Messages;
using MedChat.Api.Realtime;
using MedChat.Api.Web;
using MedChat.Api.WebApp;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Scalar.AspNetCore;

var builder = WebApplication.CreateBuilder(args);
var dataDir = Path.GetFullPath(Environment.GetEnvironmentVariable("MEDCHAT_DATA_DIR") ?? ".data");

var database = await builder.AddMedChatDatabaseAsync(dataDir);
builder.AddMedChatAuth(dataDir);
builder.Services.AddMedChatWeb();
builder.Services.AddMedChatAudit();
builder.AddMedChatHardening();
builder.AddMedChatTelemetry();
builder.Services.AddScoped<MedChat.Api.Export.ExportService>();
builder.Services.AddSingleton(TimeProvider.System);
builder.Services.AddScoped<UserService>();
builder.Services.AddScoped<ConversationService>();
builder.Services.AddScoped<MessageService>();
builder.Services.AddSingleton<SendBatcher>();
builder.AddMedChatRealtime();
builder.AddMedChatAssistant();
var health = builder.Services.AddHealthChecks().AddNpgSql(database.Runtime, name: "database", tags: ["ready"]);
builder.AddMedChatScaleOut(health);
builder.AddMedChatLimits();
builder.Services.AddMedChatOpenApi();
builder.AddMedChatWebApp();

var app = builder.Build();
app.UseMedChatHardening();
app.UseRequestLog();
app.UseAuditContext();
app.UseMedChatWeb();
app.UseMedChatWebApp();
app.UseAuthentication();
app.UseMedChatLimits();
app.UseAuthorization();

app.MapIdentity();
app.MapConversations();
app.MapMessages();
app.MapAssistant();
app.MapAudit();
app.MapExport();
app.MapMedChatHub();
app.MapHealthChecks("/health/live", new() { Predicate = _ => false });
app.MapHealthChecks("/health/ready", new() { Predicate = c => c.Tags.Contains("ready") });
app.MapOpenApi();
app.MapScalarApiReference();
app.MapMedChatWebApp();

await app.SeedDemoUsersAsync(database);
if (database.Embedded is not null)
{
    app.Lifetime.ApplicationStarted.Register(() => DemoSeed.Print(Console.Out, app.Services.GetRequiredService<TokenIssuer>(),
        app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses ?? []));
}

await app.RunAsync();

/// <summary>Visible to the tests' WebApplicationFactory.</summary>
public partial class Program;
