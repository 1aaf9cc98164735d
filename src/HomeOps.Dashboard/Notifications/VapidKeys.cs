using System.Security.Cryptography;
using System.Text.Json;
using HomeOps.Dashboard.Hosting;
using Microsoft.Extensions.Options;

namespace HomeOps.Dashboard.Notifications;

/// <summary>
/// The VAPID key pair: from <c>Notifications:WebPush:PublicKey</c>/<c>PrivateKey</c>, else generated once and kept
/// (owner-only) in <c>vapid-keys.json</c> in the data directory, so phones stay subscribed across restarts.
/// </summary>
public sealed class VapidKeys
{
    public VapidKeys(string publicKey, string privateKey, string subject)
    {
        PublicKey = publicKey;
        PrivateKey = privateKey;
        Subject = subject;
    }

    public string PublicKey { get; }

    /// <summary>Secret: never logged, never rendered.</summary>
    public string PrivateKey { get; }

    public string Subject { get; }

    public override string ToString() => "VapidKeys(public " + PublicKey + ")";

    public static VapidKeys Resolve(IOptions<NotificationOptions> options, IConfiguration configuration, IHostEnvironment environment)
    {
        var w = options.Value.WebPush;
        if (!string.IsNullOrEmpty(w.PublicKey) && !string.IsNullOrEmpty(w.PrivateKey)) return new VapidKeys(w.PublicKey, w.PrivateKey, w.Subject);
        var path = Path.Combine(OperationsHosting.DataDirectory(configuration, environment), "vapid-keys.json");
        if (File.Exists(path))
        {
            var stored = JsonSerializer.Deserialize<Dictionary<string, string>>(File.ReadAllText(path))!;
            return new VapidKeys(stored["publicKey"], stored["privateKey"], w.Subject);
        }
        var generated = Generate(w.Subject);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, JsonSerializer.Serialize(new Dictionary<string, string>
        {
            ["publicKey"] = generated.PublicKey,
            ["privateKey"] = generated.PrivateKey,
        }));
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        return generated;
    }

    public static VapidKeys Generate(string subject)
    {
        using var ec = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var p = ec.ExportParameters(includePrivateParameters: true);
        return new VapidKeys(Base64Url([0x04, .. p.Q.X!, .. p.Q.Y!]), Base64Url(p.D!), subject);
    }

    public static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).Replace('+', '-').Replace('/', '_').TrimEnd('=');
}
