using System.Security.Cryptography.X509Certificates;
using System.Text.RegularExpressions;
using HomeOps.Dashboard.Auth;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace HomeOps.EndToEnd;

/// <summary>
/// Reads what a session holds — the access, ID and refresh tokens the OIDC handler saved — with the app's own
/// data-protection keys (Auth:DataProtectionKeysPath, encrypted with the certificate the app generated in its data
/// directory), so a test knows those values and can look for them elsewhere. The cookie carries only the session's key;
/// the ticket is read from the operations database's sessions table.
/// </summary>
public static partial class SessionTicket
{
    private const string SessionIdClaim = "Microsoft.AspNetCore.Authentication.Cookies-SessionId";

    public static IReadOnlyDictionary<string, string> Tokens(string keysDirectory, string dataDirectory, IReadOnlyDictionary<string, string> cookies, string cookieName = "homeops_session")
    {
        var certificate = GeneratedCertificate(dataDirectory);
        var provider = DataProtectionProvider.Create(new DirectoryInfo(keysDirectory),
            b => b.SetApplicationName("HomeOps.Dashboard").UnprotectKeysWithAnyCertificate(certificate), certificate);
        var protector = provider.CreateProtector("Microsoft.AspNetCore.Authentication.Cookies.CookieAuthenticationMiddleware", "Cookies", "v2");
        var cookie = new TicketDataFormat(protector).Unprotect(Reassemble(cookies, cookieName))
                     ?? throw new InvalidOperationException("the session cookie could not be read with the app's keys");
        var key = cookie.Principal.FindFirst(SessionIdClaim)?.Value
                  ?? throw new InvalidOperationException("the session cookie carries no session key (no server-side session?)");
        using var db = new SqliteConnection($"Data Source={Path.Combine(dataDirectory, "operations.db")};Mode=ReadOnly");
        db.Open();
        using var command = db.CreateCommand();
        command.CommandText = "SELECT \"Ticket\" FROM \"sessions\" WHERE \"Key\" = $key";
        command.Parameters.AddWithValue("$key", key);
        var stored = command.ExecuteScalar() as byte[] ?? throw new InvalidOperationException("no stored session for the cookie");
        var ticket = TicketSerializer.Default.Deserialize(provider.CreateProtector("HomeOps.Dashboard.Sessions.v1").Unprotect(stored))!;
        return ticket.Properties.GetTokens().ToDictionary(t => t.Name, t => t.Value);
    }

    /// <summary>The master keys (base64) of the key ring, decrypted with the app's certificate.</summary>
    public static IReadOnlyList<string> MasterKeys(string keysDirectory, string dataDirectory)
    {
        var certificate = GeneratedCertificate(dataDirectory);
        var services = new ServiceCollection();
        services.AddDataProtection().SetApplicationName("HomeOps.Dashboard")
            .PersistKeysToFileSystem(new DirectoryInfo(keysDirectory))
            .ProtectKeysWithCertificate(certificate)
            .UnprotectKeysWithAnyCertificate(certificate);
        using var sp = services.BuildServiceProvider();
        return sp.GetRequiredService<IKeyManager>().GetAllKeys()
            .SelectMany(k => k.Descriptor.ExportToXml().SerializedDescriptorElement.Descendants("masterKey").SelectMany(m => m.Descendants("value")))
            .Select(v => v.Value.Trim())
            .Where(v => v.Length > 0)
            .ToList();
    }

    private static X509Certificate2 GeneratedCertificate(string dataDirectory) =>
        X509CertificateLoader.LoadPkcs12FromFile(Path.Combine(dataDirectory, DataProtectionSetup.GeneratedCertificateFile), null);

    /// <summary>Large cookies are split ("chunks-N" and name C1..CN); joined here as the cookie handler does.</summary>
    private static string Reassemble(IReadOnlyDictionary<string, string> cookies, string name)
    {
        var value = cookies[name];
        var m = ChunkCount().Match(value);
        if (!m.Success) return value;
        return string.Concat(Enumerable.Range(1, int.Parse(m.Groups[1].Value)).Select(i => cookies[$"{name}C{i}"]));
    }

    [GeneratedRegex(@"^chunks-(\d+)$")]
    private static partial Regex ChunkCount();
}
