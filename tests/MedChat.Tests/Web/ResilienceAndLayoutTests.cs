using MedChat.Api.Data;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace MedChat.Tests.Web;

/// <summary>What a clinic notices on a bad network and a small phone: a reconnect banner, catch-up without a reload, a draft that survives, and a layout that fits 375 pixels.</summary>
public sealed class ResilienceAndLayoutTests(WebApp app, Chromium chromium) : BrowserTest(app, chromium)
{
    [Fact]
    public async Task AfterANetworkDropTheBannerShowsAndTheChatCatchesUpWithoutAReloadKeepingTheDraft()
    {
        await using var proxy = new TcpProxy(App.BaseAddress);
        var patient = await SignInAsync("Pat Patient (patient)", proxy.Address);
        await Button(patient, "New conversation").ClickAsync();
        await SendAsync(patient, "My ankle is swollen after a fall yesterday");
        await Expect(Log(patient)).ToContainTextAsync("No AI model is connected", new() { Timeout = 20_000 });
        await Button(patient, "Talk to a person").ClickAsync();
        // The open conversation's own status, not the first "waiting for staff" on the page (the seeded
        // demo conversation in the list says it too, and the claim below must not race the hand-over).
        await Expect(patient.Locator(".conv-meta")).ToContainTextAsync("waiting for staff");
        var conversationId = Guid.Parse(patient.Url.Split('/').Last());

        var nurse = App.Client(App.Token(DemoSeed.Users[2].Id, DemoSeed.Users[2].Name));
        (await nurse.PostAsync($"/api/chat/{conversationId}/claim", null, Ct)).EnsureSuccessStatusCode();
        await patient.EvaluateAsync("() => window.__sameDocument = true");

        // The network goes away: the status region says so, and the patient keeps writing.
        NetworkDownExpected = true;
        await patient.Context.SetOfflineAsync(true);
        proxy.DropAll();
        var status = patient.GetByRole(AriaRole.Status, new() { Name = "Connection" });
        // Usually at once; but Chromium's offline emulation can hold back the closed socket's event,
        // and then the hub client notices by its 30 s server timeout: the banner must come either way.
        await Expect(status).ToContainTextAsync("Reconnecting", new() { Timeout = 40_000 });
        await Composer(patient).FillAsync("Can I put ice on it?");
        await nurse.PostJsonAsync($"/api/chat/{conversationId}/messages", new { content = "Please keep the foot raised; I will call you shortly.", clientMessageId = "while-offline" });

        // Back online: the nurse's message arrives by catch-up, the draft is still there, no reload happened.
        await patient.Context.SetOfflineAsync(false);
        await Expect(status).ToHaveTextAsync("Connected", new() { Timeout = 30_000 });
        NetworkDownExpected = false;
        await Expect(Log(patient)).ToContainTextAsync("Please keep the foot raised", new() { Timeout = 20_000 });
        await Expect(Composer(patient)).ToHaveValueAsync("Can I put ice on it?");
        Assert.True(await patient.EvaluateAsync<bool>("() => window.__sameDocument === true"), "the page reloaded");

        await Button(patient, "Send").ClickAsync();
        await Expect(Log(patient)).ToContainTextAsync("Can I put ice on it?");
        await Expect(Composer(patient)).ToHaveValueAsync("");
    }

    [Fact]
    public async Task OnA375PixelPhoneTheChatFitsWithoutSidewaysScrolling()
    {
        var patient = await SignInAsync("Robin Patient (patient)", width: 375, height: 740);
        await Button(patient, "New conversation").ClickAsync();
        await SendAsync(patient, "I have a headache that started this morning and will not go away with paracetamol");
        await Expect(Log(patient)).ToContainTextAsync("No AI model is connected", new() { Timeout = 20_000 });

        var width = await patient.EvaluateAsync<int>("() => document.documentElement.scrollWidth");
        Assert.True(width <= 375, $"the page is {width} px wide on a 375 px screen");
        var send = await Button(patient, "Send").BoundingBoxAsync();
        Assert.True(send!.X + send.Width <= 375 && send.Y + send.Height <= 740, "the Send button is off screen");
        await Expect(patient.GetByRole(AriaRole.Link, new() { Name = "← Back" })).ToBeVisibleAsync();
        await ScreenshotAsync(patient, "phone-chat");
    }

    [Fact]
    public async Task TheChatCanBeUsedByKeyboardAlone()
    {
        var patient = await OpenAsync();
        await patient.GotoAsync("/");
        var pat = Button(patient, "Pat Patient (patient)");
        await Expect(pat).ToBeVisibleAsync(Visible);
        await pat.FocusAsync();
        await patient.Keyboard.PressAsync("Enter");
        await Expect(Button(patient, "New conversation")).ToBeVisibleAsync(Visible);
        await Button(patient, "New conversation").FocusAsync();
        await patient.Keyboard.PressAsync("Enter");
        await Composer(patient).FocusAsync();
        await patient.Keyboard.TypeAsync("Typed without a mouse");
        await patient.Keyboard.PressAsync("Enter");
        await Expect(Log(patient)).ToContainTextAsync("Typed without a mouse");
    }

    [Fact]
    public async Task AnAdminSeesUsersAndEveryConversationAndChangesARole()
    {
        var admin = await SignInAsync("Admin Kim (admin)");
        await admin.GetByRole(AriaRole.Link, new() { Name = "Admin", Exact = true }).ClickAsync();
        await Expect(admin.GetByRole(AriaRole.Heading, new() { Name = "Users and roles" })).ToBeVisibleAsync(Visible);
        await Expect(admin.GetByRole(AriaRole.Link, new() { Name = "Demo: a question about a rash" })).ToBeVisibleAsync();
        await admin.GetByRole(AriaRole.Combobox, new() { Name = "Role of Robin Patient" }).SelectOptionAsync("staff");
        await Expect(admin.GetByText("Robin Patient is now staff.")).ToBeVisibleAsync(Visible);
        Assert.Equal("staff", await App.ScalarAsOwnerAsync<string>("SELECT role FROM users WHERE id = $1", DemoSeed.Users[1].Id));
        await ScreenshotAsync(admin, "admin");
    }
}
