using System.Diagnostics;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace MedChat.Tests.Web;

/// <summary>
/// What a first visit costs: bytes transferred (compressed, headers included) and time until the
/// sign-in page can be used. Against the test server (a Debug build) by default; set
/// MEDCHAT_FIRST_LOAD_URL to measure a published server (how the README's figures were taken).
/// </summary>
public sealed class FirstLoadTests(WebApp app, Chromium chromium) : BrowserTest(app, chromium)
{
    [Fact]
    public async Task TheFirstLoadIsCompressedAndMeasured()
    {
        var target = Environment.GetEnvironmentVariable("MEDCHAT_FIRST_LOAD_URL") is { Length: > 0 } url ? new Uri(url) : App.BaseAddress;
        var page = await OpenAsync(target);
        var responses = new List<IResponse>();
        page.Response += (_, r) => responses.Add(r);

        var clock = Stopwatch.StartNew();
        await page.GotoAsync("/");
        await Expect(Button(page, "Nurse Sam (staff)")).ToBeVisibleAsync(Visible);
        var elapsed = clock.Elapsed;

        long bytes = 0;
        var wasm = 0;
        var uncompressed = new List<string>();
        foreach (var r in responses.ToList())
        {
            var sizes = await r.Request.SizesAsync();
            bytes += sizes.ResponseBodySize + sizes.ResponseHeadersSize;
            if (!r.Url.Contains("/_framework/", StringComparison.Ordinal) || !r.Url.EndsWith(".wasm", StringComparison.Ordinal)) continue;
            wasm++;
            var headers = await r.AllHeadersAsync();
            if (!headers.TryGetValue("content-encoding", out var encoding) || encoding is not ("br" or "gzip")) uncompressed.Add(r.Url);
        }
        var line = $"first load of {target}: {responses.Count} requests, {bytes / 1024.0 / 1024.0:0.00} MB transferred, usable after {elapsed.TotalSeconds:0.0} s";
        TestContext.Current.SendDiagnosticMessage(line);
        File.WriteAllText(Path.Combine(AppContext.BaseDirectory, "first-load.txt"), line + "\n");

        Assert.True(wasm > 0, "no .wasm files were loaded");
        Assert.True(uncompressed.Count == 0, "served without compression:\n" + string.Join('\n', uncompressed));

        // The same app goes on working after the first load: sign in, chat, a reply arrives live.
        await Button(page, "Pat Patient (patient)").ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status, new() { Name = "Connection" })).ToHaveTextAsync("Connected", new() { Timeout = 20_000 });
        await Button(page, "New conversation").ClickAsync();
        await SendAsync(page, "Is it fine to exercise with a mild cold?");
        await Expect(Log(page)).ToContainTextAsync("No AI model is connected", new() { Timeout = 20_000 });
    }
}
