using System.Collections.Concurrent;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace MedChat.Tests.Operations;

/// <summary>One log event as a sink would store it: the rendered line, its structured values and any exception.</summary>
public sealed record CapturedLog(string Category, LogLevel Level, string Message, string Values, string? Exception)
{
    public string Everything => $"{Category} {Level} {Message} {Values} {Exception}";
}

/// <summary>Keeps every log event the app writes, after the app's own level filters.</summary>
public sealed class CapturingLoggerProvider : ILoggerProvider
{
    private readonly ConcurrentQueue<CapturedLog> _logs = new();

    public IReadOnlyCollection<CapturedLog> Logs => _logs.ToArray();

    public ILogger CreateLogger(string categoryName) => new Logger(categoryName, _logs);

    public void Dispose()
    {
    }

    private sealed class Logger(string category, ConcurrentQueue<CapturedLog> logs) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var values = state is IEnumerable<KeyValuePair<string, object?>> kvs
                ? string.Join(' ', kvs.Select(kv => $"{kv.Key}={kv.Value}"))
                : "";
            logs.Enqueue(new CapturedLog(category, logLevel, formatter(state, exception), values, exception?.ToString()));
        }
    }
}

/// <summary>
/// The API with the log levels it ships with (appsettings.json: Information, framework categories at
/// Warning) instead of the test default, and every log event captured.
/// </summary>
public class LoggingMedChatApp : MedChatApp
{
    public CapturingLoggerProvider Logs { get; } = new();

    protected override void Configure(IWebHostBuilder builder)
    {
        builder.UseSetting("Logging:LogLevel:Default", "Information");
        builder.ConfigureServices(services => services.AddLogging(l => l.AddProvider(Logs)));
    }
}

/// <summary>As an operator chasing a problem would set it: ASP.NET Core's own categories at Information.</summary>
public sealed class VerboseFrameworkLoggingMedChatApp : LoggingMedChatApp
{
    protected override void Configure(IWebHostBuilder builder)
    {
        base.Configure(builder);
        builder.UseSetting("Logging:LogLevel:Microsoft.AspNetCore", "Information");
    }
}
