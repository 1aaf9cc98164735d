using Microsoft.Extensions.Configuration;

namespace HomeOps.Simulator.Tests;

/// <summary>The <c>Simulator</c> configuration section binds as the repository's appsettings.json spells it.</summary>
public sealed class OptionsTests
{
    [Fact]
    public void Binds_the_simulator_section_and_treats_empty_strings_as_unset()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Simulator:Port"] = "0",
            ["Simulator:SeedDirectory"] = "",
            ["Simulator:DataDirectory"] = "",
            ["Simulator:AuthentikToken"] = " ",
            ["Simulator:Scenarios:Enabled"] = "true",
            ["Simulator:Scenarios:Seed"] = "42",
            ["Simulator:Scenarios:Interval"] = "00:00:06",
        }).Build();

        var options = SimulatorOptions.FromConfiguration(configuration);

        Assert.Equal(0, options.Port);
        Assert.Equal("127.0.0.1", options.Host);
        Assert.Null(options.SeedDirectory);
        Assert.Null(options.DataDirectory);
        Assert.Null(options.AuthentikToken);
        Assert.True(options.Scenarios.Enabled);
        Assert.Equal(42, options.Scenarios.Seed);
        Assert.Equal(TimeSpan.FromSeconds(6), options.Scenarios.Interval);
    }

    [Fact]
    public void Binds_the_repository_appsettings_file()
    {
        var root = AppContext.BaseDirectory;
        while (root is not null && !File.Exists(Path.Combine(root, "appsettings.json")) || root is not null && !File.Exists(Path.Combine(root, "global.json")))
        {
            root = Path.GetDirectoryName(root);
        }
        Assert.NotNull(root);
        var configuration = new ConfigurationBuilder().AddJsonFile(Path.Combine(root, "appsettings.json")).Build();

        var options = SimulatorOptions.FromConfiguration(configuration);

        Assert.Equal(0, options.Port);
        Assert.True(options.Scenarios.Interval > TimeSpan.Zero);
    }

    [Fact]
    public async Task A_given_data_directory_and_token_are_used()
    {
        var directory = Directory.CreateTempSubdirectory("homeops-sim-test-").FullName;
        try
        {
            await using var host = await SimulatorHost.StartAsync(new SimulatorOptions { DataDirectory = directory, AuthentikToken = "fixed-token" },
                cancellationToken: TestContext.Current.CancellationToken);

            Assert.Equal(Path.Combine(directory, "kubeconfig"), host.KubeconfigPath);
            Assert.Equal("fixed-token", host.AuthentikToken);
            var text = await File.ReadAllTextAsync(host.KubeconfigPath, TestContext.Current.CancellationToken);
            Assert.Contains("current-context: home-ops-simulator", text);
            Assert.Contains($"server: {host.KubernetesUri.GetLeftPart(UriPartial.Authority)}", text);
            Assert.Contains("certificate-authority-data: ", text);
            if (!OperatingSystem.IsWindows())
            {
                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(host.KubeconfigPath));
            }
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
