using System.Collections.Concurrent;
using System.Net.Sockets;

namespace MedChat.Tests.Infrastructure;

/// <summary>
/// A loopback TCP forwarder in front of the API, so a test can cut every live connection at once,
/// the way a flaky mobile network does, while new connections still get through.
/// </summary>
public sealed class TcpProxy : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly ConcurrentDictionary<TcpClient, TcpClient> _pairs = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accepting;

    public TcpProxy(Uri target)
    {
        _listener.Start();
        Address = new Uri($"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}/");
        _accepting = AcceptAsync(target);
    }

    public Uri Address { get; }

    /// <summary>Closes every connection currently open through the proxy.</summary>
    public void DropAll()
    {
        foreach (var (a, b) in _pairs)
        {
            a.Client.Close(0);
            b.Client.Close(0);
            _pairs.TryRemove(a, out _);
        }
    }

    private async Task AcceptAsync(Uri target)
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient inbound;
            try
            {
                inbound = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            var outbound = new TcpClient();
            await outbound.ConnectAsync(target.Host, target.Port);
            _pairs[inbound] = outbound;
            _ = PumpAsync(inbound, outbound);
            _ = PumpAsync(outbound, inbound);
        }
    }

    private static async Task PumpAsync(TcpClient from, TcpClient to)
    {
        try
        {
            await from.GetStream().CopyToAsync(to.GetStream());
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or SocketException)
        {
        }
        finally
        {
            from.Client.Close(0);
            to.Client.Close(0);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        DropAll();
        await _accepting;
    }
}
