namespace MedChat.Tests.Messages;

public sealed class MessagePagingTests(MedChatApp app) : ApiTest(app)
{
    [Fact]
    public async Task WithoutACursorTheNewestPageComesInAscendingOrder()
    {
        var (client, c) = await ConversationWith(5);

        var page = await client.MessagesAsync(c, "?limit=3");

        Assert.Equal([3, 4, 5], Seqs(page));
        Assert.Equal(["message 3", "message 4", "message 5"], page.Items.Select(m => m.Content));
        Assert.True(page.HasMore);
    }

    [Fact]
    public async Task TheNewestPageHasNoMoreWhenItHoldsEverything()
    {
        var (client, c) = await ConversationWith(3);

        var page = await client.MessagesAsync(c, "?limit=3");

        Assert.Equal([1, 2, 3], Seqs(page));
        Assert.False(page.HasMore);
    }

    [Fact]
    public async Task AnEmptyConversationHasAnEmptyPage()
    {
        var (client, c) = await ConversationWith(0);

        var page = await client.MessagesAsync(c);

        Assert.Empty(page.Items);
        Assert.False(page.HasMore);
    }

    [Fact]
    public async Task TheDefaultPageIsFiftyMessages()
    {
        var (client, c) = await ConversationWith(53);

        var page = await client.MessagesAsync(c);

        Assert.Equal(Range(4, 53), Seqs(page));
        Assert.True(page.HasMore);
    }

    [Fact]
    public async Task AfterReturnsTheOldestMessagesAboveTheCursor()
    {
        var (client, c) = await ConversationWith(7);

        var first = await client.MessagesAsync(c, "?after=2&limit=3");
        var last = await client.MessagesAsync(c, "?after=5&limit=3");
        var exactlyTheRest = await client.MessagesAsync(c, "?after=4&limit=3");
        var none = await client.MessagesAsync(c, "?after=7");

        Assert.Equal([3, 4, 5], Seqs(first));
        Assert.True(first.HasMore);
        Assert.Equal([6, 7], Seqs(last));
        Assert.False(last.HasMore);
        Assert.Equal([5, 6, 7], Seqs(exactlyTheRest));
        Assert.False(exactlyTheRest.HasMore);
        Assert.Empty(none.Items);
        Assert.False(none.HasMore);
    }

    [Fact]
    public async Task AfterZeroStartsAtTheFirstMessage()
    {
        var (client, c) = await ConversationWith(4);

        var page = await client.MessagesAsync(c, "?after=0&limit=2");

        Assert.Equal([1, 2], Seqs(page));
        Assert.True(page.HasMore);
    }

    [Fact]
    public async Task BeforeReturnsThePageJustBelowTheCursor()
    {
        var (client, c) = await ConversationWith(7);

        var middle = await client.MessagesAsync(c, "?before=6&limit=3");
        var oldest = await client.MessagesAsync(c, "?before=3&limit=3");
        var exactlyTheRest = await client.MessagesAsync(c, "?before=4&limit=3");
        var none = await client.MessagesAsync(c, "?before=1");

        Assert.Equal([3, 4, 5], Seqs(middle));
        Assert.True(middle.HasMore);
        Assert.Equal([1, 2], Seqs(oldest));
        Assert.False(oldest.HasMore);
        Assert.Equal([1, 2, 3], Seqs(exactlyTheRest));
        Assert.False(exactlyTheRest.HasMore);
        Assert.Empty(none.Items);
        Assert.False(none.HasMore);
    }

    [Fact]
    public async Task WalkingBackFromTheNewestPageVisitsEveryMessageOnce()
    {
        var (client, c) = await ConversationWith(23);

        var seen = new List<long>();
        var page = await client.MessagesAsync(c, "?limit=5");
        seen.InsertRange(0, Seqs(page));
        for (var guard = 0; page.HasMore && guard < 10; guard++)
        {
            page = await client.MessagesAsync(c, $"?before={page.Items[0].Seq}&limit=5");
            seen.InsertRange(0, Seqs(page));
        }

        Assert.False(page.HasMore);
        Assert.Equal(Range(1, 23), seen);
    }

    [Fact]
    public async Task CatchingUpWithAfterVisitsEveryMessageOnce()
    {
        var (client, c) = await ConversationWith(23);

        var seen = new List<long>();
        MessagePage page;
        var after = 0L;
        var guard = 0;
        do
        {
            page = await client.MessagesAsync(c, $"?after={after}&limit=5");
            seen.AddRange(Seqs(page));
            if (page.Items.Count > 0) after = page.Items[^1].Seq;
        } while (page.HasMore && ++guard < 10);

        Assert.Equal(Range(1, 23), seen);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(100)]
    public async Task LimitsFromOneToAHundredAreAccepted(int limit)
    {
        var (client, c) = await ConversationWith(2);

        var page = await client.MessagesAsync(c, $"?limit={limit}");

        Assert.Equal(Math.Min(limit, 2), page.Items.Count);
        Assert.Equal(limit < 2, page.HasMore);
    }

    [Theory]
    [InlineData("limit=0", "limit")]
    [InlineData("limit=101", "limit")]
    [InlineData("limit=-1", "limit")]
    [InlineData("limit=x", "limit")]
    [InlineData("limit=2.5", "limit")]
    [InlineData("after=-1", "after")]
    [InlineData("before=-1", "before")]
    [InlineData("after=x", "after")]
    [InlineData("before=1e3", "before")]
    public async Task AQueryValueOutsideItsRangeIs400NamingIt(string query, string field)
    {
        var (client, c) = await ConversationWith(1);

        var response = await client.GetAsync($"/api/chat/{c}/messages?{query}", Ct);

        await response.ProblemAsync(HttpStatusCode.BadRequest, field);
    }

    [Fact]
    public async Task AfterAndBeforeTogetherAreRejected()
    {
        var (client, c) = await ConversationWith(5);

        var problem = await client.GetAsync($"/api/chat/{c}/messages?after=1&before=4", Ct).ProblemAsync(HttpStatusCode.BadRequest);

        Assert.NotEmpty(problem.GetProperty("errors").EnumerateObject());
    }

    private static long[] Seqs(MessagePage page) => page.Items.Select(m => m.Seq).ToArray();

    private static long[] Range(long from, long to) => Enumerable.Range((int)from, (int)(to - from + 1)).Select(i => (long)i).ToArray();

    /// <summary>A patient's conversation holding <paramref name="count"/> messages, "message 1" to "message N".</summary>
    private async Task<(HttpClient Client, Guid Conversation)> ConversationWith(int count)
    {
        var patient = await App.UserAsync();
        var c = await App.StartConversationAsync(patient);
        var client = App.Client(patient);
        for (var i = 1; i <= count; i++) await client.PostAsync(c.Id, $"message {i}");
        return (client, c.Id);
    }
}
