using System.Security.Cryptography;
using Microsoft.IdentityModel.Tokens;

namespace HomeOps.Simulator.Identity;

/// <summary>
/// Keys that live only in memory. Generating an RSA key costs from 0.1 s to several seconds on a busy 2-core machine,
/// and OpenIddict's ephemeral keys would do it twice per host on its first request; so the signing key is made once
/// per process and shared by every provider host in it (their issuers still differ, so a token from one host never
/// validates as another's), and the encryption key, which protects codes and refresh tokens, is a cheap symmetric
/// key per host, so a code from one host is unreadable to another.
/// </summary>
internal static class DevelopmentKeys
{
    private static readonly Lazy<RsaSecurityKey> Signing = new(() =>
    {
        var key = new RsaSecurityKey(RSA.Create(2048));
        key.KeyId = Base64UrlEncoder.Encode(key.ComputeJwkThumbprint()); // set here so OpenIddict never mutates the shared key
        return key;
    });

    public static RsaSecurityKey SigningKey => Signing.Value;

    /// <summary>A fresh 256-bit key for one host (OpenIddict wraps content keys with it, A256KW).</summary>
    public static SymmetricSecurityKey NewEncryptionKey() => new(RandomNumberGenerator.GetBytes(32));
}
