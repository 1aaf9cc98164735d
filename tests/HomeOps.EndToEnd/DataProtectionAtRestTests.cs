using System.Net;

namespace HomeOps.EndToEnd;

/// <summary>
/// The data-protection key ring is encrypted at rest with a certificate (issue 11, item 2): the key files on the volume
/// hold no plaintext key, a session cookie issued before a restart still works after it (same key directory, same
/// certificate), and the same key files with another certificate are useless.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class DataProtectionAtRestTests(BrowserFixture browser) : IAsyncLifetime
{
    private SimulatedDashboard _dashboard = null!;
    private readonly string _keys = Directory.CreateTempSubdirectory("homeops-e2e-keys-").FullName;
    private readonly string _secrets = Directory.CreateTempSubdirectory("homeops-e2e-secret-").FullName;

    public async ValueTask InitializeAsync()
    {
        var (path, password) = TestCertificates.WritePfx(_secrets);
        _dashboard = await SimulatedDashboard.StartAsync(new Dictionary<string, string?>
        {
            ["Auth:DataProtectionKeysPath"] = _keys,
            ["DataProtection:CertificatePath"] = path,
            ["DataProtection:CertificatePassword"] = password,
        });
    }

    public async ValueTask DisposeAsync() => await _dashboard.DisposeAsync();

    private async Task<HttpStatusCode> HealthWithAsync(IReadOnlyDictionary<string, string> cookies)
    {
        using var http = Caller.NewClient();
        using var response = await http.SendAsync(new Caller(Identity.ViewerCookie, cookies, null, null)
            .Request(HttpMethod.Get, _dashboard.BaseUrl + "/api/v1/health"), TestContext.Current.CancellationToken);
        return response.StatusCode;
    }

    [Fact]
    public async Task Key_files_hold_no_plaintext_key_and_a_cookie_survives_a_restart_with_the_same_certificate_only()
    {
        var cookies = await Caller.SessionCookiesAsync(browser, _dashboard, "viewer");
        Assert.Equal(HttpStatusCode.OK, await HealthWithAsync(cookies));

        var files = Directory.GetFiles(_keys, "*.xml");
        Assert.NotEmpty(files);
        foreach (var file in files)
        {
            var xml = await File.ReadAllTextAsync(file, TestContext.Current.CancellationToken);
            Assert.DoesNotContain("<masterKey", xml);
            Assert.Contains("<encryptedSecret", xml);
            Assert.Contains("EncryptedData", xml);
        }

        // A restart: a new host on the same key directory and certificate accepts the cookie issued before.
        await _dashboard.RestartAppAsync();
        Assert.Equal(HttpStatusCode.OK, await HealthWithAsync(cookies));

        // The key files alone (a backup of the volume) with any other certificate: the cookie is worthless.
        var (otherPath, otherPassword) = TestCertificates.WritePfx(_secrets, "CN=someone-else");
        await _dashboard.RestartAppAsync(new Dictionary<string, string?>
        {
            ["DataProtection:CertificatePath"] = otherPath,
            ["DataProtection:CertificatePassword"] = otherPassword,
        });
        Assert.Equal(HttpStatusCode.Unauthorized, await HealthWithAsync(cookies));
    }
}
