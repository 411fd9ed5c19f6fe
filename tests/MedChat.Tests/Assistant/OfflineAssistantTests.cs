using MedChat.Api.Assistant;

namespace MedChat.Tests.Assistant;

/// <summary>The default provider, <c>none</c>: no model, an honest built-in responder.</summary>
public sealed class OfflineAssistantTests(MedChatApp app) : ApiTest(app)
{
    [Fact]
    public async Task WithoutAModelTheAssistantSaysWhatItIsAndOffersAPerson()
    {
        var patient = await App.UserAsync();

        var answer = await App.Client(patient).PostJsonAsync("/api/chat", new { message = "I have a rash", clientMessageId = "o1" }).ReadAsync<ChatReply>(HttpStatusCode.OK);

        Assert.Equal(OfflineResponder.Text.Trim(), answer.Reply!.Content.Trim());
        Assert.Contains("No AI model is connected", answer.Reply.Content, StringComparison.Ordinal);
        Assert.Contains("nurse", answer.Reply.Content, StringComparison.Ordinal);
        Assert.Equal("none", answer.Reply.Metadata!.Value.GetProperty("ai").GetProperty("provider").GetString());
    }
}
