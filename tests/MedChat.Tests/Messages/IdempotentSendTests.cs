namespace MedChat.Tests.Messages;

public sealed class IdempotentSendTests(MedChatApp app) : ApiTest(app)
{
    [Fact]
    public async Task RepeatingAClientMessageIdReturnsTheOriginalWith200AndStoresNothing()
    {
        var patient = await App.UserAsync();
        var c = await App.StartConversationAsync(patient);
        var client = App.Client(patient);
        var original = await client.PostAsync(c.Id, "My head hurts", "cm-1");

        var retry = await client.SendAsync(c.Id, "My head hurts", "cm-1").ReadAsync<MessageDto>(HttpStatusCode.OK);

        Assert.Equal(original, retry);
        Assert.Equal(1, (await client.ConversationAsync(c.Id)).LastMessageSeq);
        Assert.Equal(1, await App.StoredMessagesAsync(c.Id));
    }

    [Fact]
    public async Task ARepeatWithDifferentContentStillReturnsTheOriginal()
    {
        var patient = await App.UserAsync();
        var c = await App.StartConversationAsync(patient);
        var client = App.Client(patient);
        var original = await client.PostAsync(c.Id, "first wording", "cm-1");

        var retry = await client.SendAsync(c.Id, "second wording", "cm-1").ReadAsync<MessageDto>(HttpStatusCode.OK);

        Assert.Equal(original, retry);
        Assert.Equal("first wording", Assert.Single((await client.MessagesAsync(c.Id)).Items).Content);
    }

    [Fact]
    public async Task ARepeatAfterOtherMessagesStillReturnsTheOriginal()
    {
        var patient = await App.UserAsync();
        var c = await App.StartConversationAsync(patient);
        var client = App.Client(patient);
        var original = await client.PostAsync(c.Id, "one", "cm-1");
        await client.PostAsync(c.Id, "two", "cm-2");

        var retry = await client.SendAsync(c.Id, "one", "cm-1").ReadAsync<MessageDto>(HttpStatusCode.OK);

        Assert.Equal(original.Id, retry.Id);
        Assert.Equal(1, retry.Seq);
        Assert.Equal(2, (await client.ConversationAsync(c.Id)).LastMessageSeq);
    }

    [Fact]
    public async Task ARepeatStoresNothingSoItDoesNotReopenAResolvedConversation()
    {
        var patient = await App.UserAsync();
        var c = await App.StartConversationAsync(patient);
        var client = App.Client(patient);
        var original = await client.PostAsync(c.Id, "thanks, that helped", "cm-1");
        var resolved = await client.PatchAsJsonAsync($"/api/chat/{c.Id}/status", new { status = "resolved" }, HttpAssertions.JsonOptions, Ct)
            .ReadAsync<ConversationDto>(HttpStatusCode.OK);

        var retry = await client.SendAsync(c.Id, "thanks, that helped", "cm-1").ReadAsync<MessageDto>(HttpStatusCode.OK);

        Assert.Equal(original, retry);
        Assert.Equal(resolved, await client.ConversationAsync(c.Id));
    }

    [Fact]
    public async Task TheSameClientMessageIdFromAnotherSenderIsANewMessage()
    {
        var patient = await App.UserAsync();
        var staff = await App.UserAsync(Role.Staff);
        var c = await App.StartHeldConversationAsync(patient, staff);

        var fromPatient = await App.Client(patient).PostAsync(c.Id, "patient says", "shared-id");
        var fromStaff = await App.Client(staff).PostAsync(c.Id, "staff says", "shared-id");

        Assert.NotEqual(fromPatient.Id, fromStaff.Id);
        Assert.Equal((1L, patient.Id), (fromPatient.Seq, fromPatient.SenderId));
        Assert.Equal((2L, staff.Id), (fromStaff.Seq, fromStaff.SenderId));
        Assert.Equal(2, await App.StoredMessagesAsync(c.Id));
    }

    [Fact]
    public async Task TheSameClientMessageIdInAnotherConversationIsANewMessage()
    {
        var patient = await App.UserAsync();
        var first = await App.StartConversationAsync(patient);
        var second = await App.StartConversationAsync(patient);
        var client = App.Client(patient);

        var a = await client.PostAsync(first.Id, "in the first", "cm-1");
        var b = await client.PostAsync(second.Id, "in the second", "cm-1");

        Assert.NotEqual(a.Id, b.Id);
        Assert.Equal((first.Id, 1L), (a.ConversationId, a.Seq));
        Assert.Equal((second.Id, 1L), (b.ConversationId, b.Seq));
    }

    [Fact]
    public async Task TenConcurrentPostsWithOneClientMessageIdStoreExactlyOneMessage()
    {
        var patient = await App.UserAsync();
        var c = await App.StartConversationAsync(patient);

        var responses = await Task.WhenAll(Enumerable.Range(0, 10)
            .Select(i => App.Client(patient).SendAsync(c.Id, $"attempt {i}", "cm-race")));

        var created = Assert.Single(responses, r => r.StatusCode == HttpStatusCode.Created);
        var original = await created.ReadAsync<MessageDto>(HttpStatusCode.Created);
        foreach (var r in responses.Where(r => r != created))
            Assert.Equal(original, await r.ReadAsync<MessageDto>(HttpStatusCode.OK));
        Assert.Equal(1, original.Seq);
        Assert.Equal(1, (await App.Client(patient).ConversationAsync(c.Id)).LastMessageSeq);
        Assert.Equal(1, await App.StoredMessagesAsync(c.Id));
    }
}
