namespace HomeOps.EndToEnd;

/// <summary>Waits on a condition with a timeout (checked every 50 ms); the failure says what was last seen.</summary>
public static class Poll
{
    public static async Task UntilAsync(Func<Task<bool>> condition, TimeSpan timeout, Func<string>? lastSeen = null)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"condition not met in {timeout.TotalSeconds} s" + (lastSeen is null ? "" : "; last seen: " + lastSeen()));
            await Task.Delay(50);
        }
    }
}
