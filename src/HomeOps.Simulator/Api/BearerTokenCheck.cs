using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace HomeOps.Simulator.Api;

/// <summary>Compares an <c>Authorization: Bearer …</c> header with the expected token in constant time.</summary>
internal static class BearerTokenCheck
{
    /// <summary>The presented token, or null when there is no bearer Authorization header.</summary>
    public static string? Presented(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        const string scheme = "Bearer ";
        return header.StartsWith(scheme, StringComparison.OrdinalIgnoreCase) ? header[scheme.Length..].Trim() : null;
    }

    public static bool Matches(string? presented, string expected) =>
        presented is not null
        && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(presented), Encoding.UTF8.GetBytes(expected));
}
