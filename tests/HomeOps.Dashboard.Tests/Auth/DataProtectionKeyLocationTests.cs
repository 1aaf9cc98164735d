using HomeOps.Dashboard.Auth;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.DependencyInjection;

namespace HomeOps.Dashboard.Tests.Auth;

/// <summary>
/// Each data directory keeps its own data-protection keys next to the certificate that encrypts them. Before, keys
/// went to the user-wide ~/.aspnet folder while the generated certificate was per data directory, so a second dashboard
/// on the same machine (a test, a station beside a quick start) found keys it could not decrypt and logged
/// "Unable to retrieve the decryption key" at every start.
/// </summary>
public sealed class DataProtectionKeyLocationTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("homeops-dpkeys-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private (IDataProtector Protector, string DataDirectory) Dashboard(string name)
    {
        var dataDirectory = Path.Combine(_root, name);
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Development", ContentRootPath = _root });
        builder.Configuration["Operations:DataDirectory"] = dataDirectory;
        builder.AddDashboardDataProtection(new AuthOptions());
        var services = builder.Services.BuildServiceProvider();
        return (services.GetRequiredService<IDataProtectionProvider>().CreateProtector("test"), dataDirectory);
    }

    private static string[] Keys(string dataDirectory)
    {
        var folder = Path.Combine(dataDirectory, DataProtectionSetup.KeysFolder);
        return Directory.Exists(folder) ? Directory.GetFiles(folder, "key-*.xml").Select(Path.GetFileName).ToArray()! : [];
    }

    [Fact]
    public void Keys_are_written_to_the_data_directory_beside_its_certificate()
    {
        var (protector, dataDirectory) = Dashboard("a");
        Assert.Equal("secret", protector.Unprotect(protector.Protect("secret")));

        Assert.Single(Keys(dataDirectory));
        Assert.True(File.Exists(Path.Combine(dataDirectory, DataProtectionSetup.GeneratedCertificateFile)));
        // Encrypted at rest with that certificate: no plaintext master key in the file.
        var key = File.ReadAllText(Path.Combine(dataDirectory, DataProtectionSetup.KeysFolder, Keys(dataDirectory)[0]));
        Assert.Contains("EncryptedData", key, StringComparison.Ordinal);
        Assert.DoesNotContain("<value>", key, StringComparison.Ordinal);
    }

    [Fact]
    public void Two_data_directories_do_not_share_a_key_ring()
    {
        var (first, a) = Dashboard("a");
        var (second, b) = Dashboard("b");
        first.Protect("x");
        second.Protect("y");

        Assert.Single(Keys(a));
        Assert.Single(Keys(b));
        Assert.Empty(Keys(a).Intersect(Keys(b)));
    }

    [Fact]
    public void A_configured_keys_path_wins() =>
        Assert.Equal("/data/keys", DataProtectionSetup.KeysDirectory(new AuthOptions { DataProtectionKeysPath = "/data/keys" }, "/var/lib/x"));
}
