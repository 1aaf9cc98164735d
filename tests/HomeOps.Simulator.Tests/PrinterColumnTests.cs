using HomeOps.Simulator.Api;

namespace HomeOps.Simulator.Tests;

/// <summary>Ages print the way the API server prints them (apimachinery's HumanDuration).</summary>
public sealed class PrinterColumnTests
{
    [Theory]
    [InlineData(0, "0s")]
    [InlineData(119, "119s")]
    [InlineData(150, "2m30s")]
    [InlineData(600, "10m")]
    [InlineData(3 * 3600 + 60, "3h1m")]
    [InlineData(8 * 3600, "8h")]
    [InlineData(50 * 3600, "2d2h")]
    [InlineData(41 * 86400 + 3 * 3600, "41d")]
    [InlineData(800 * 86400, "2y70d")]
    public void Human_durations(long seconds, string expected) =>
        Assert.Equal(expected, PrinterColumns.HumanDuration(TimeSpan.FromSeconds(seconds)));
}
