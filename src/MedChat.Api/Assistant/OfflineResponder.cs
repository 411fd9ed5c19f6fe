using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;

namespace MedChat.Api.Assistant;

/// <summary>
/// The <c>none</c> provider: no model, and honest about it. It gives general next steps and offers a
/// person, streamed like a model's reply so clients need no special case.
/// </summary>
public sealed class OfflineResponder(TimeSpan pace = default) : IChatClient
{
    public const string Text = """
        I'm MedChat's automated assistant. No AI model is connected right now, so I can't look at the details of what you wrote or give advice about it.

        General next steps:
        - If you think this could be an emergency, call your local emergency number (for example 911, 112 or 999) now.
        - If you feel unwell and it's getting worse, contact your clinic or an urgent care service today.
        - Otherwise, a member of the clinic's team can read this conversation: reply "I'd like to talk to a nurse" and it will be passed to them.
        """;

    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        // With a pace (Ai:OfflinePaceMs, set by ./run) it streams a few words at a time, as a model
        // would, so a demo shows the reply being written; without one it streams by paragraph.
        var chunks = pace > TimeSpan.Zero ? Words(Text) : Text.Split("\n\n").Select(p => p + "\n\n");
        foreach (var chunk in chunks)
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return new ChatResponseUpdate(ChatRole.Assistant, chunk) { ModelId = "offline" };
            if (pace > TimeSpan.Zero) await Task.Delay(pace, cancellationToken);
            else await Task.Yield();
        }
        yield return new ChatResponseUpdate { FinishReason = ChatFinishReason.Stop, ModelId = "offline" };
    }

    private static IEnumerable<string> Words(string text)
    {
        var words = System.Text.RegularExpressions.Regex.Split(text, @"(?<=\s)");
        for (var i = 0; i < words.Length; i += 3) yield return string.Concat(words.Skip(i).Take(3));
    }

    public async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
        await GetStreamingResponseAsync(messages, options, cancellationToken).ToChatResponseAsync(cancellationToken);

    public object? GetService(Type serviceType, object? serviceKey = null) => serviceType.IsInstanceOfType(this) ? this : null;

    public void Dispose()
    {
    }
}
