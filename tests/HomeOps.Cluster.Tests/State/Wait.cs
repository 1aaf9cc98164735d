namespace HomeOps.Cluster.Tests.State;

/// <summary>Polls a condition (no sleep-and-hope): every 20 ms up to a timeout, then fails with a description.</summary>
internal static class Wait
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(10);

    public static async Task UntilAsync(Func<bool> condition, string what, TimeSpan? timeout = null, Func<string>? diagnostics = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? DefaultTimeout);
        while (true)
        {
            if (condition()) return;
            if (DateTime.UtcNow > deadline)
                Assert.Fail($"Timed out after {(timeout ?? DefaultTimeout).TotalSeconds:0.#} s waiting for: {what}{(diagnostics is null ? "" : $"\n{diagnostics()}")}");
            await Task.Delay(20, TestContext.Current.CancellationToken);
        }
    }
}
