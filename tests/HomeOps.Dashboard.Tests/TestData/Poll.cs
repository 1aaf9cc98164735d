namespace HomeOps.Dashboard.Tests.TestData;

/// <summary>Waiting on conditions instead of sleeping and hoping.</summary>
public static class Poll
{
    public static void Until(Func<bool> condition, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException("condition not met in time");
            Thread.Sleep(20);
        }
    }

    /// <summary>For negative assertions: the condition must hold for the whole period.</summary>
    public static void StaysTrue(Func<bool> condition, TimeSpan period)
    {
        var deadline = DateTime.UtcNow + period;
        do
        {
            if (!condition()) throw new Xunit.Sdk.XunitException("condition stopped holding");
            Thread.Sleep(20);
        } while (DateTime.UtcNow < deadline);
    }
}
