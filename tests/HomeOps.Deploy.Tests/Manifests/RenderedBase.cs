namespace HomeOps.Deploy.Tests.Manifests;

/// <summary>Renders k8s/ once per test class (kubectl as a real process).</summary>
public sealed class RenderedBase : IAsyncLifetime
{
    public Rendered Manifests { get; private set; } = null!;

    public async ValueTask InitializeAsync() => Manifests = await Rendered.RenderAsync(RepoPaths.K8s);

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
