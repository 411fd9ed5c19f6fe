namespace MedChat.Tests.Messages;

public sealed class ConcurrentSendTests(MedChatApp app) : ApiTest(app)
{
    [Fact]
    public async Task ThreeSendersPostingTwentyMessagesEachAtOnceGetSeqsOneToSixtyWithoutGaps()
    {
        var patient = await App.UserAsync();
        var staff = await App.UserAsync(Role.Staff);
        var admin = await App.UserAsync(Role.Admin);
        var c = await App.StartHeldConversationAsync(patient, staff);
        TestUser[] senders = [patient, staff, admin];

        var sent = await Task.WhenAll(senders.SelectMany(user =>
        {
            var client = App.Client(user);
            return Enumerable.Range(0, 20).Select(i => client.PostAsync(c.Id, $"{user.Role} {i}", $"{user.Id}-{i}"));
        }));

        Assert.Equal(Enumerable.Range(1, 60).Select(i => (long)i), sent.Select(m => m.Seq).Order());
        foreach (var user in senders)
            Assert.Equal(20, sent.Count(m => m.SenderId == user.Id));
        Assert.Equal(60, (await App.Client(patient).ConversationAsync(c.Id)).LastMessageSeq);

        var stored = await App.Client(patient).MessagesAsync(c.Id, "?limit=100");
        Assert.False(stored.HasMore);
        Assert.Equal(Enumerable.Range(1, 60).Select(i => (long)i), stored.Items.Select(m => m.Seq));
        Assert.Equal(sent.OrderBy(m => m.Seq).Select(m => (m.Id, m.Content)), stored.Items.Select(m => (m.Id, m.Content)));
    }
}
