using System.Text.RegularExpressions;
using System.Xml.Linq;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.DataProtection;

namespace HomeOps.EndToEnd;

/// <summary>
/// Reads what a session cookie holds — the access, ID and refresh tokens the OIDC handler saved — with the app's own
/// data-protection keys (Auth:DataProtectionKeysPath), so a test knows those values and can look for them elsewhere.
/// </summary>
public static partial class SessionTicket
{
    public static IReadOnlyDictionary<string, string> Tokens(string keysDirectory, IReadOnlyDictionary<string, string> cookies, string cookieName = "homeops_session")
    {
        var provider = DataProtectionProvider.Create(new DirectoryInfo(keysDirectory), b => b.SetApplicationName("HomeOps.Dashboard"));
        var protector = provider.CreateProtector("Microsoft.AspNetCore.Authentication.Cookies.CookieAuthenticationMiddleware", "Cookies", "v2");
        var ticket = new TicketDataFormat(protector).Unprotect(Reassemble(cookies, cookieName))
                     ?? throw new InvalidOperationException("the session cookie could not be read with the app's keys");
        return ticket.Properties.GetTokens().ToDictionary(t => t.Name, t => t.Value);
    }

    /// <summary>The master keys (base64) in the key ring's XML files.</summary>
    public static IReadOnlyList<string> MasterKeys(string keysDirectory) =>
        Directory.EnumerateFiles(keysDirectory, "*.xml")
            .SelectMany(f => XDocument.Load(f).Descendants("masterKey").SelectMany(m => m.Descendants("value")))
            .Select(v => v.Value.Trim())
            .Where(v => v.Length > 0)
            .ToList();

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
