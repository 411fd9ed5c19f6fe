using MedChat.Client;
using Microsoft.AspNetCore.Components.WebAssembly.Authentication;
using Microsoft.JSInterop;

namespace MedChat.Web.Services;

public enum Link { Connecting, Online, Reconnecting, Offline }

/// <summary>
/// The signed-in user and their two channels to the server: the REST client and the realtime hub,
/// both from MedChat.Client. One per browser tab. A demo token lives in sessionStorage, so a reload
/// keeps the tab signed in and two tabs can be two different people.
/// </summary>
public sealed class Session(HttpClient http, IJSRuntime js, IServiceProvider services)
{
    private const string TokenKey = "medchat.token";
    private string? _token;

    public Me? Me { get; private set; }
    public MedChatClient Api { get; private set; } = null!;
    public MedChatRealtime Hub { get; private set; } = null!;
    public Link Link { get; private set; } = Link.Connecting;
    public bool IsDemo => _token is not null;

    /// <summary>Connection state changed (for the banner and the status region).</summary>
    public event Action? LinkChanged;

    /// <summary>Signs in with a token kept from earlier in this tab, or through the OpenID Connect provider; false when neither.</summary>
    public async Task<bool> RestoreAsync()
    {
        if (Me is not null) return true;
        var stored = await js.InvokeAsync<string?>("sessionStorage.getItem", TokenKey);
        if (stored is not null) return await StartAsync(stored);
        if (services.GetService<IAccessTokenProvider>() is { } provider)
        {
            var result = await provider.RequestAccessToken();
            if (result.TryGetToken(out _)) return await StartAsync(null);
        }
        return false;
    }

    public async Task<bool> SignInAsync(string token)
    {
        await js.InvokeVoidAsync("sessionStorage.setItem", TokenKey, token);
        return await StartAsync(token);
    }

    public async Task SignOutAsync()
    {
        await js.InvokeVoidAsync("sessionStorage.clear");
        if (Me is not null) await Hub.DisposeAsync();
        Me = null;
        _token = null;
    }

    private async Task<bool> StartAsync(string? demoToken)
    {
        _token = demoToken;
        Api = new MedChatClient(http, async _ => await TokenAsync() ?? "");
        try
        {
            Me = await Api.MeAsync();
        }
        catch (MedChatApiException e) when (e.Status == 401)
        {
            // An expired demo token: back to the sign-in page.
            await js.InvokeVoidAsync("sessionStorage.removeItem", TokenKey);
            _token = null;
            return false;
        }
        Hub = new MedChatRealtime(http.BaseAddress!, TokenAsync);
        Hub.Reconnecting += () => SetLink(Link.Reconnecting);
        Hub.Reconnected += () => SetLink(Link.Online);
        Hub.Closed += () => SetLink(Link.Offline);
        await Hub.StartAsync();
        SetLink(Link.Online);
        return true;
    }

    private async Task<string?> TokenAsync()
    {
        if (_token is not null) return _token;
        var provider = services.GetService<IAccessTokenProvider>();
        if (provider is null) return null;
        var result = await provider.RequestAccessToken();
        return result.TryGetToken(out var token) ? token.Value : null;
    }

    private void SetLink(Link link)
    {
        Link = link;
        LinkChanged?.Invoke();
    }
}
