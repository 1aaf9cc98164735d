namespace HomeOps.Simulator.Tests.Support;

/// <summary>Waits on a condition instead of sleeping: polls every 25 ms up to a timeout.</summary>
internal static class Eventually
{
    public static async Task<T> Until<T>(Func<Task<T>> probe, Func<T, bool> done, string what, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(10));
        T last;
        while (true)
        {
            last = await probe();
            if (done(last)) return last;
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"Timed out waiting for {what}; last value: {last}");
            await Task.Delay(25, TestContext.Current.CancellationToken);
        }
    }

    public static Task<T> Until<T>(Func<T> probe, Func<T, bool> done, string what, TimeSpan? timeout = null) =>
        Until(() => Task.FromResult(probe()), done, what, timeout);
}
