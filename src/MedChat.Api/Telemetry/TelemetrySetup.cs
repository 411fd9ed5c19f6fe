using Npgsql;
using OpenTelemetry.Logs;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace MedChat.Api.Telemetry;

/// <summary>
/// OpenTelemetry traces, metrics and logs over OTLP, on when OTEL_EXPORTER_OTLP_ENDPOINT is set (the
/// exporter reads the standard OTEL_* settings). Nothing recorded carries content, names or tokens:
/// the query string (where the hub's access_token rides) is dropped from spans, SQL is parameterised,
/// and MedChat's own logs and instruments hold ids and outcomes only.
/// </summary>
public static class TelemetrySetup
{
    public static void AddMedChatTelemetry(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<MedChatMetrics>();
        if (string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"])) return;

        builder.Services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService(builder.Configuration["OTEL_SERVICE_NAME"] ?? "medchat-api"))
            .WithTracing(t => t
                .AddAspNetCoreInstrumentation(o =>
                {
                    o.RecordException = false;
                    o.EnrichWithHttpRequest = (activity, _) => activity.SetTag("url.query", null);
                })
                .AddHttpClientInstrumentation(o =>
                {
                    o.RecordException = false;
                    o.EnrichWithHttpRequestMessage = (activity, _) => activity.SetTag("url.query", null);
                })
                .AddNpgsql()
                .AddSource("Microsoft.AspNetCore.SignalR.Server")
                .AddSource(MedChatMetrics.Name)
                .AddOtlpExporter())
            .WithMetrics(m => m
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddNpgsqlInstrumentation()
                .AddMeter("Microsoft.AspNetCore.Http.Connections", "Microsoft.AspNetCore.Server.Kestrel", MedChatMetrics.Name)
                .AddOtlpExporter())
            .WithLogging(l => l.AddOtlpExporter(), o =>
            {
                // Message templates and their id/outcome arguments only; never scopes (they can hold paths and queries).
                o.IncludeScopes = false;
                o.IncludeFormattedMessage = true;
            });
    }
}
