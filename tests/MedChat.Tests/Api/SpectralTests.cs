using System.Diagnostics;
using System.Text.Json;

namespace MedChat.Tests.Api;

/// <summary>
/// An outside tool accepts the API description: Spectral with the OWASP API Security ruleset, run
/// against the document this app serves, reports no errors. ./test installs Spectral (MEDCHAT_SPECTRAL_PREFIX).
/// </summary>
public sealed class SpectralTests(MedChatApp app) : ApiTest(app)
{
    [Fact]
    public async Task SpectralsOwaspRulesReportNoErrorsOnTheServedDocument()
    {
        var prefix = Environment.GetEnvironmentVariable("MEDCHAT_SPECTRAL_PREFIX");
        Assert.False(string.IsNullOrEmpty(prefix), "MEDCHAT_SPECTRAL_PREFIX is not set: run the suite with ./test, which installs Spectral.");
        var spectral = Path.Combine(prefix!, "node_modules", ".bin", "spectral");
        Assert.True(File.Exists(spectral), $"Spectral is not installed at {spectral}.");

        var document = await App.Client().GetStringAsync("/openapi/v1.json", Ct);
        var dir = Directory.CreateTempSubdirectory("medchat-spectral-");
        try
        {
            var docPath = Path.Combine(dir.FullName, "openapi.json");
            await File.WriteAllTextAsync(docPath, document, Ct);
            // The ruleset sits next to Spectral's node_modules so "extends" resolves the OWASP package there.
            var ruleset = Path.Combine(prefix!, "owasp.spectral.yaml");
            File.Copy(Path.Combine(AppContext.BaseDirectory, "Api", "owasp.spectral.yaml"), ruleset, overwrite: true);
            var resultsPath = Path.Combine(dir.FullName, "results.json");

            var psi = new ProcessStartInfo(spectral)
            {
                WorkingDirectory = prefix!,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };
            foreach (var a in new[] { "lint", docPath, "--ruleset", ruleset, "--format", "json", "--output", resultsPath, "--fail-severity", "error", "--quiet" })
                psi.ArgumentList.Add(a);
            using var process = Process.Start(psi)!;
            var stderr = process.StandardError.ReadToEndAsync(Ct);
            await process.StandardOutput.ReadToEndAsync(Ct);
            await process.WaitForExitAsync(Ct);

            Assert.True(File.Exists(resultsPath), $"Spectral wrote no results (exit {process.ExitCode}): {await stderr}");
            var results = JsonDocument.Parse(await File.ReadAllTextAsync(resultsPath, Ct)).RootElement;
            var errors = results.EnumerateArray().Where(r => r.GetProperty("severity").GetInt32() == 0)
                .Select(r => $"{r.GetProperty("code").GetString()} at {string.Join('.', r.GetProperty("path").EnumerateArray().Select(p => p.ToString()))}: {r.GetProperty("message").GetString()}")
                .ToList();
            Assert.True(errors.Count == 0, $"{errors.Count} Spectral OWASP errors:\n" + string.Join('\n', errors.Take(60)));
            Assert.Equal(0, process.ExitCode);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task TheDocumentDeclaresTheBearerSchemeBoundsAndTheRateLimitHeaders()
    {
        var doc = JsonDocument.Parse(await App.Client().GetStringAsync("/openapi/v1.json", Ct)).RootElement;

        var bearer = doc.GetProperty("components").GetProperty("securitySchemes").GetProperty("bearer");
        Assert.Equal("bearer", bearer.GetProperty("scheme").GetString());
        Assert.Equal("JWT", bearer.GetProperty("bearerFormat").GetString());
        var send = doc.GetProperty("paths").GetProperty("/api/chat/{conversationId}/messages").GetProperty("post");
        Assert.True(send.GetProperty("security")[0].TryGetProperty("bearer", out _));
        var tooMany = send.GetProperty("responses").GetProperty("429");
        Assert.True(tooMany.GetProperty("headers").TryGetProperty("Retry-After", out _));
        Assert.True(tooMany.GetProperty("content").TryGetProperty("application/problem+json", out _));
        foreach (var status in new[] { "400", "401", "403", "404", "413", "429", "500" })
            Assert.True(send.GetProperty("responses").TryGetProperty(status, out _), $"POST messages does not describe {status}");
        var audit = doc.GetProperty("paths").GetProperty("/api/admin/audit").GetProperty("get");
        Assert.Equal("admin", audit.GetProperty("security")[0].GetProperty("bearer")[0].GetString());
        var conversationId = send.GetProperty("parameters").EnumerateArray().Single(p => p.GetProperty("name").GetString() == "conversationId");
        Assert.Equal("uuid", conversationId.GetProperty("schema").GetProperty("format").GetString());
    }
}
