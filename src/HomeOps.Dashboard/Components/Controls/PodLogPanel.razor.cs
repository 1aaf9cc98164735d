using System.Security.Claims;
using HomeOps.Cluster.Sources;
using HomeOps.Dashboard.Services;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;

namespace HomeOps.Dashboard.Components.Controls;

public partial class PodLogPanel
{
    /// <summary>While following, the panel renders at most this often (a chatty container must not flood the circuit).</summary>
    private static readonly TimeSpan RenderEvery = TimeSpan.FromMilliseconds(250);

    [CascadingParameter] private Task<AuthenticationState>? AuthenticationState { get; set; }

    [Inject] private PodLogAccess Logs { get; set; } = default!;

    [Inject] private TimeProvider Time { get; set; } = default!;

    [Parameter, EditorRequired] public string Namespace { get; set; } = "";

    [Parameter, EditorRequired] public string Pod { get; set; } = "";

    [Parameter, EditorRequired] public IReadOnlyList<string> Containers { get; set; } = [];

    [Parameter] public EventCallback OnClose { get; set; }

    private LogBuffer _buffer = new(1);
    private ClaimsPrincipal _user = new();
    private string? _container;
    private string? _refusal;
    private string? _error;
    private bool _loading;
    private bool _following;
    private string? _shownFor;
    private CancellationTokenSource? _follow;

    protected override async Task OnParametersSetAsync()
    {
        var key = $"{Namespace}/{Pod}";
        if (key == _shownFor) return;
        _shownFor = key;
        await StopFollowingAsync();
        _buffer = new LogBuffer(Logs.Options.MaxLines);
        _container = Containers.FirstOrDefault();
        _user = AuthenticationState is null ? new ClaimsPrincipal() : (await AuthenticationState).User;
        _refusal = Logs.Refusal(_user);
        if (_refusal is null) await LoadAsync();
    }

    private async Task LoadAsync()
    {
        await StopFollowingAsync();
        _loading = true;
        _error = null;
        try
        {
            var lines = await Logs.TailAsync(_user, Namespace, Pod, _container, null, CancellationToken.None);
            _buffer.Clear();
            foreach (var line in lines) _buffer.Add(line);
        }
        catch (PodLogException e)
        {
            _error = e.Message;
        }
        finally
        {
            _loading = false;
        }
    }

    private async Task OnContainerChanged(string container)
    {
        _container = container;
        await LoadAsync();
    }

    private async Task OnFollowChanged(bool follow)
    {
        if (!follow)
        {
            await StopFollowingAsync();
            return;
        }
        await StopFollowingAsync();
        _following = true;
        _error = null;
        _buffer.Clear();
        _follow = new CancellationTokenSource();
        _ = FollowAsync(_follow.Token);
    }

    private async Task FollowAsync(CancellationToken ct)
    {
        var lastRender = Time.GetTimestamp();
        try
        {
            await foreach (var line in Logs.FollowAsync(_user, Namespace, Pod, _container, null, ct))
            {
                _buffer.Add(line);
                if (Time.GetElapsedTime(lastRender) >= RenderEvery)
                {
                    lastRender = Time.GetTimestamp();
                    await InvokeAsync(StateHasChanged);
                }
            }
        }
        catch (OperationCanceledException) { return; }
        catch (PodLogException e) { _error = e.Message; }
        catch (Exception e) { _error = $"the log stream ended: {e.Message}"; }
        _following = false;
        try { await InvokeAsync(StateHasChanged); } catch (ObjectDisposedException) { }
    }

    private async Task StopFollowingAsync()
    {
        _following = false;
        if (_follow is { } cts)
        {
            _follow = null;
            await cts.CancelAsync();
            cts.Dispose();
        }
    }

    private async Task CloseAsync()
    {
        await StopFollowingAsync();
        await OnClose.InvokeAsync();
    }

    public async ValueTask DisposeAsync() => await StopFollowingAsync();
}
