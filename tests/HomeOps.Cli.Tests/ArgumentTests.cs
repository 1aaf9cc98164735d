namespace HomeOps.Cli.Tests;

public sealed class ArgumentTests
{
    [Fact]
    public async Task Help_prints_usage_and_exits_0()
    {
        var result = await CliProcess.RunAsync("status", "--help");
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("Usage: homeops status", result.Stdout);
        Assert.Contains("--from DIR", result.Stdout);
    }

    [Theory]
    [InlineData("status", "--bogus")]
    [InlineData("status", "--output", "yaml")]
    [InlineData("status", "--from")]
    [InlineData("status", "--from", "a", "--simulator")]
    [InlineData("stats")]
    [InlineData("status", "--simulator", "--talos-timeout", "0")]
    [InlineData("status", "--simulator", "--talos-timeout", "1.5")]
    [InlineData("status", "--simulator", "--talos-timeout", "601")]
    public async Task Bad_arguments_exit_2_with_a_message_and_the_usage(params string[] args)
    {
        var result = await CliProcess.RunAsync(args);
        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.StartsWith("homeops: ", result.Stderr);
        Assert.Contains("Usage:", result.Stderr);
    }

    [Fact]
    public async Task Without_a_source_or_a_kubeconfig_it_prints_usage_and_exits_2()
    {
        var result = await CliProcess.RunAsync("status"); // HOME is a temp folder without .kube/config, KUBECONFIG unset
        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains("no source", result.Stderr);
        Assert.Contains("Usage:", result.Stderr);
    }

    [Fact]
    public void Talos_timeout_is_whole_seconds_and_defaults_to_15()
    {
        Assert.Equal(TimeSpan.FromSeconds(15), CliArguments.Parse(["status", "--simulator"]).TalosTimeout);
        Assert.Equal(TimeSpan.FromSeconds(120), CliArguments.Parse(["status", "--simulator", "--talos-timeout", "120"]).TalosTimeout);
    }
}
