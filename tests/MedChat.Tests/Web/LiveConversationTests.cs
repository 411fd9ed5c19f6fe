using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace MedChat.Tests.Web;

/// <summary>
/// A demo patient and a demo nurse, each in their own browser, hold a conversation through the web
/// app: a streamed assistant reply, an emergency that reaches the nurse's live queue, a claim, typing,
/// read receipts both ways, and a resolve. Everything is found by role and accessible name.
/// </summary>
public sealed class LiveConversationTests(WebApp app, Chromium chromium) : BrowserTest(app, chromium)
{
    [Fact]
    public async Task PatientAndNurseHoldALiveConversationFromStreamedReplyToEmergencyClaimAndResolve()
    {
        var signIn = await OpenAsync();
        await signIn.GotoAsync("/");
        await Expect(Button(signIn, "Nurse Sam (staff)")).ToBeVisibleAsync(Visible);
        await Expect(signIn.GetByText("Choose a demo user")).ToBeVisibleAsync();
        await ScreenshotAsync(signIn, "sign-in");

        var nurse = await SignInAsync("Nurse Sam (staff)");
        var queue = nurse.GetByRole(AriaRole.List, new() { Name = "Queue", Exact = true });
        // The seeded demo conversation waits in the queue, routine.
        await Expect(queue.GetByRole(AriaRole.Listitem)).ToHaveCountAsync(1);
        await Expect(queue.GetByRole(AriaRole.Listitem).First).ToContainTextAsync("routine");

        var patient = await SignInAsync("Pat Patient (patient)");
        await Button(patient, "New conversation").ClickAsync();
        await Expect(Composer(patient)).ToBeVisibleAsync();

        // The reply streams in: a growing, busy bubble first, while the composer stays where it is.
        var composerBefore = await Composer(patient).BoundingBoxAsync();
        await SendAsync(patient, "I have had a sore throat for two days");
        var log = Log(patient);
        await Expect(log).ToContainTextAsync("I have had a sore throat for two days");
        var streaming = log.Locator("[aria-busy=true]");
        await Expect(streaming).ToBeVisibleAsync(Visible);
        var partial = await streaming.InnerTextAsync();
        var composerWhileStreaming = await Composer(patient).BoundingBoxAsync();
        await Expect(log).ToContainTextAsync("reply \"I'd like to talk to a nurse\"", new() { Timeout = 20_000 });
        await Expect(streaming).ToHaveCountAsync(0);
        var reply = await log.Locator("article").Last.InnerTextAsync();
        Assert.True(partial.Length < reply.Length, $"the reply did not stream: the busy bubble already held '{partial}'");
        Assert.Equal(composerBefore!.Y, composerWhileStreaming!.Y);
        await Expect(patient.GetByText("✓ Sent").Or(patient.GetByText("✓✓ Delivered")).Or(patient.GetByText("✓✓ Read")).First).ToBeVisibleAsync();
        await ScreenshotAsync(patient, "patient-chat");

        // Times are in the viewer's zone (the browser context is in Europe/Paris), not UTC.
        var time = log.Locator("time").First;
        var utc = DateTime.Parse(await time.GetAttributeAsync("datetime") ?? "", System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AdjustToUniversal);
        var paris = TimeZoneInfo.ConvertTimeFromUtc(utc, TimeZoneInfo.FindSystemTimeZoneById("Europe/Paris"));
        Assert.Equal(paris.ToString("HH:mm", System.Globalization.CultureInfo.InvariantCulture), await time.InnerTextAsync());

        // A red flag: the emergency guidance stands above the conversation, and the nurse's queue
        // shows it first, in red with the word, without a reload.
        await SendAsync(patient, "I have crushing chest pain going down my left arm");
        var alert = patient.GetByRole(AriaRole.Alert);
        await Expect(alert).ToBeVisibleAsync(Visible);
        await Expect(alert).ToContainTextAsync("Emergency");
        await Expect(queue.GetByRole(AriaRole.Listitem)).ToHaveCountAsync(2);
        var first = queue.GetByRole(AriaRole.Listitem).First;
        await Expect(first).ToContainTextAsync("emergency");
        await ScreenshotAsync(patient, "patient-emergency");
        await ScreenshotAsync(nurse, "staff-queue");

        // The nurse opens it: the patient's messages become read.
        await first.GetByRole(AriaRole.Link).ClickAsync();
        await Expect(Log(nurse)).ToContainTextAsync("crushing chest pain");
        await Expect(log.GetByText("✓✓ Read").Last).ToBeVisibleAsync(Visible);

        await Button(nurse, "Claim").ClickAsync();
        await Expect(Button(nurse, "Claim")).ToHaveCountAsync(0);
        await Expect(patient.GetByText("A clinician is online")).ToBeVisibleAsync(Visible);

        // Typing shows on the other side, then the message, read by the patient who is looking.
        await Composer(nurse).PressSequentiallyAsync("Hello, this is Nurse Sam");
        await Expect(patient.GetByText("typing")).ToBeVisibleAsync(Visible);
        await Composer(nurse).PressSequentiallyAsync(". Call an ambulance now; I am calling you too.");
        await Button(nurse, "Send").ClickAsync();
        await Expect(log).ToContainTextAsync("Hello, this is Nurse Sam. Call an ambulance now");
        await Expect(Log(nurse).Locator("article.mine").Last).ToContainTextAsync("Read", new() { Timeout = 20_000 });
        await Expect(patient.GetByText("typing")).ToHaveCountAsync(0);
        // The alert stays until the patient dismisses it.
        await Expect(alert).ToBeVisibleAsync();
        await ScreenshotAsync(nurse, "staff-conversation");

        await Button(nurse, "Resolve").ClickAsync();
        await Expect(patient.GetByText("resolved", new() { Exact = true })).ToBeVisibleAsync(Visible);
        await Button(patient, "Dismiss").ClickAsync();
        await Expect(alert).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task StaffHandBackToTheAssistantLeavesTheQueueWithoutAReload()
    {
        var nurse = await SignInAsync("Nurse Sam (staff)");
        var queue = nurse.GetByRole(AriaRole.List, new() { Name = "Queue", Exact = true });
        await Expect(queue.GetByRole(AriaRole.Listitem)).ToHaveCountAsync(1);

        var patient = await SignInAsync("Robin Patient (patient)");
        await Button(patient, "New conversation").ClickAsync();
        await SendAsync(patient, "Can I take ibuprofen with my blood pressure tablets?");
        await Expect(Log(patient)).ToContainTextAsync("No AI model is connected", new() { Timeout = 20_000 });
        await Button(patient, "Talk to a person").ClickAsync();
        await Expect(queue.GetByRole(AriaRole.Listitem)).ToHaveCountAsync(2);

        await queue.GetByRole(AriaRole.Listitem).Last.GetByRole(AriaRole.Link).ClickAsync();
        await Expect(Log(nurse)).ToContainTextAsync("ibuprofen");
        await Button(nurse, "Hand back to assistant").ClickAsync();
        await Expect(queue.GetByRole(AriaRole.Listitem)).ToHaveCountAsync(1);
        await Expect(patient.GetByText("with the assistant").First).ToBeVisibleAsync(Visible);
    }
}
