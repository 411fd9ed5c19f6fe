using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace MedChat.Api.Data;

/// <summary>For `dotnet ef migrations add`: builds the model without starting the app or a database.</summary>
internal sealed class DesignTimeFactory : IDesignTimeDbContextFactory<MedChatDb>
{
    public MedChatDb CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<MedChatDb>().UseNpgsql("Host=localhost;Database=medchat_design").Options);
}
