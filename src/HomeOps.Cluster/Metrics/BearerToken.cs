using System.Security.Cryptography;
using System.Text;

namespace HomeOps.Cluster.Metrics;

/// <summary>Checks an <c>Authorization</c> header against a configured bearer token without leaking it through timing.</summary>
public static class BearerToken
{
    /// <summary>
    /// True when no token is configured (the endpoint is open) or the header carries exactly the configured token.
    /// Both sides are hashed first, so the comparison is constant-time in the token's content and its length.
    /// </summary>
    public static bool Authorizes(string? configuredToken, string? authorizationHeader)
    {
        // A token read from a mounted secret file often ends with a newline: compare trimmed values.
        if (string.IsNullOrWhiteSpace(configuredToken)) return true;
        if (string.IsNullOrEmpty(authorizationHeader)) return false;
        const string scheme = "Bearer ";
        if (!authorizationHeader.StartsWith(scheme, StringComparison.OrdinalIgnoreCase)) return false;
        var presented = authorizationHeader.AsSpan(scheme.Length).Trim();
        Span<byte> expected = stackalloc byte[32];
        Span<byte> actual = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes(configuredToken.Trim()), expected);
        SHA256.HashData(Encoding.UTF8.GetBytes(presented.ToString()), actual);
        return CryptographicOperations.FixedTimeEquals(expected, actual);
    }
}
