using System.Buffers;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using HomeOps.Cluster.Model;
using HomeOps.Cluster.Reports;
using HomeOps.Dashboard.Hubs;
using Microsoft.AspNetCore.SignalR.Client;
using static Microsoft.Playwright.Assertions;

namespace HomeOps.EndToEnd;

/// <summary>
/// SignalR message size limit (32 KB, MaximumReceiveMessageSize): a client sending a larger message to ClusterHub or
/// to Blazor's circuit hub is disconnected, and the server stays healthy — another client keeps receiving live changes.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class HubMessageSizeTests(BrowserFixture browser) : IAsyncLifetime
{
    private const int Oversized = 40 * 1024;
    private SimulatedDashboard _dashboard = null!;

    public async ValueTask InitializeAsync() => _dashboard = await SimulatedDashboard.StartAsync();

    public async ValueTask DisposeAsync() => await _dashboard.DisposeAsync();

    private HubConnection ViewerConnection() => new HubConnectionBuilder()
        .WithUrl(_dashboard.BaseUrl + ClusterHub.Path, o =>
            o.AccessTokenProvider = () => Task.FromResult<string?>(_dashboard.Identity.IssueAccessTokenForTests("viewer", TimeSpan.FromMinutes(5))))
        .Build();

    [Fact]
    public async Task An_oversized_message_to_ClusterHub_closes_that_connection_and_another_client_keeps_receiving()
    {
        var ct = TestContext.Current.CancellationToken;
        var (bystander, changed) = await BystanderAsync("mini03", ct);
        await using var disposeBystander = bystander;

        await using var offender = ViewerConnection();
        var closed = new TaskCompletionSource<Exception?>(TaskCreationOptions.RunContinuationsAsynchronously);
        offender.Closed += e => { closed.TrySetResult(e); return Task.CompletedTask; };
        await offender.StartAsync(ct);
        // A small message is fine; 40 KB is over the limit whatever the method.
        await offender.InvokeAsync<HealthReport>(nameof(ClusterHub.GetSnapshot), ct);
        _ = offender.SendAsync(nameof(ClusterHub.GetSnapshot), new string('x', Oversized), ct);
        var error = await closed.Task.WaitAsync(TimeSpan.FromSeconds(15), ct);
        Assert.NotNull(error);   // closed by the server with an error, not by the client
        Assert.Equal(HubConnectionState.Disconnected, offender.State);

        await AssertServerStillServesAsync(bystander, changed, "mini03", ct);
    }

    [Fact]
    public async Task An_oversized_message_to_the_Blazor_hub_closes_that_socket_and_open_pages_keep_updating()
    {
        var ct = TestContext.Current.CancellationToken;
        // A viewer's page stays open throughout: it must keep updating live.
        var context = await browser.Browser.NewContextAsync();
        var page = await context.NewPageAsync();
        await SignIn.AsAsync(page, _dashboard, "viewer", "/");
        await SignIn.WaitForCircuitAsync(page);
        var nodes = page.Locator("[data-testid=tile-nodes-count]");
        await Expect(nodes).ToHaveTextAsync("3/3", new() { Timeout = 30_000 });
        var cookie = string.Join("; ", (await context.CookiesAsync([_dashboard.BaseUrl])).Select(c => $"{c.Name}={c.Value}"));

        // The same session's cookie on a raw WebSocket to /_blazor, speaking the SignalR protocol Blazor uses.
        using var http = Caller.NewClient();
        using var negotiate = new HttpRequestMessage(HttpMethod.Post, _dashboard.BaseUrl + "/_blazor/negotiate?negotiateVersion=1");
        negotiate.Headers.Add("Cookie", cookie);
        using var negotiated = await http.SendAsync(negotiate, ct);
        Assert.Equal(System.Net.HttpStatusCode.OK, negotiated.StatusCode);
        var token = JsonDocument.Parse(await negotiated.Content.ReadAsStringAsync(ct)).RootElement.GetProperty("connectionToken").GetString();

        using var socket = new ClientWebSocket();
        socket.Options.SetRequestHeader("Cookie", cookie);
        await socket.ConnectAsync(new Uri(_dashboard.BaseUrl.Replace("http://", "ws://") + "/_blazor?id=" + token), ct);
        await socket.SendAsync(Encoding.UTF8.GetBytes("{\"protocol\":\"blazorpack\",\"version\":1}\u001e"), WebSocketMessageType.Text, true, ct);
        var buffer = new byte[4096];
        var handshake = await socket.ReceiveAsync(buffer, ct);
        Assert.Equal("{}\u001e", Encoding.UTF8.GetString(buffer, 0, handshake.Count));

        // One binary frame: a varint length prefix announcing 40 KB, then the 40 KB (MessagePack bytes, never parsed).
        await socket.SendAsync(LengthPrefixed(new byte[Oversized]), WebSocketMessageType.Binary, true, ct);
        var closedBy = await ReceiveUntilClosedAsync(socket, ct).WaitAsync(TimeSpan.FromSeconds(15), ct);
        TestContext.Current.TestOutputHelper?.WriteLine($"/_blazor socket after 40 KB: {closedBy}");

        // The open page's circuit is untouched and still live.
        _dashboard.Simulator.Cluster.MergePatch(Kinds.Node, null, "mini01", NotReady(), statusSubresource: true);
        await Expect(nodes).ToHaveTextAsync("2/3", new() { Timeout = 10_000 });
        Assert.Equal(0, await page.Locator("#components-reconnect-modal[open], .components-reconnect-show").CountAsync());

        var (bystander, changed) = await BystanderAsync("mini03", ct);
        await using var disposeBystander = bystander;
        await AssertServerStillServesAsync(bystander, changed, "mini03", ct);
        await context.CloseAsync();
    }

    /// <summary>Another viewer's hub connection, waiting for <paramref name="node"/> to turn Failed.</summary>
    private async Task<(HubConnection, TaskCompletionSource<HealthEntry>)> BystanderAsync(string node, CancellationToken ct)
    {
        var connection = ViewerConnection();
        var changed = new TaskCompletionSource<HealthEntry>(TaskCreationOptions.RunContinuationsAsynchronously);
        connection.On<HealthDelta>(nameof(IClusterHubClient.Changes), d =>
        {
            foreach (var e in d.Upserted)
                if (e is { Kind: "Node", Health: "Failed" } && e.Name == node) changed.TrySetResult(e);
        });
        await connection.StartAsync(ct);
        return (connection, changed);
    }

    private async Task AssertServerStillServesAsync(HubConnection bystander, TaskCompletionSource<HealthEntry> changed, string node, CancellationToken ct)
    {
        using var http = Caller.NewClient();
        Assert.Equal(System.Net.HttpStatusCode.OK, (await http.GetAsync(_dashboard.BaseUrl + "/healthz", ct)).StatusCode);
        _dashboard.Simulator.Cluster.MergePatch(Kinds.Node, null, node, NotReady(), statusSubresource: true);
        await changed.Task.WaitAsync(TimeSpan.FromSeconds(10), ct);
        Assert.Equal(HubConnectionState.Connected, bystander.State);
    }

    private static JsonNode NotReady() => JsonNode.Parse("""
        {"status":{"conditions":[{"type":"Ready","status":"False","reason":"KubeletNotReady","message":"container runtime is down"}]}}
        """)!;

    private static byte[] LengthPrefixed(byte[] payload)
    {
        var prefix = new List<byte>();
        var length = (uint)payload.Length;
        do
        {
            var b = (byte)(length & 0x7f);
            length >>= 7;
            if (length > 0) b |= 0x80;
            prefix.Add(b);
        } while (length > 0);
        return [.. prefix, .. payload];
    }

    /// <summary>Reads until the server closes the socket (a close frame or an aborted connection) and says which.</summary>
    private static async Task<string> ReceiveUntilClosedAsync(ClientWebSocket socket, CancellationToken ct)
    {
        var buffer = new byte[8192];
        try
        {
            while (true)
            {
                var r = await socket.ReceiveAsync(buffer, ct);
                if (r.MessageType == WebSocketMessageType.Close) return $"close frame {socket.CloseStatus} {socket.CloseStatusDescription}";
            }
        }
        catch (WebSocketException e)
        {
            return "aborted: " + e.WebSocketErrorCode;
        }
    }
}
