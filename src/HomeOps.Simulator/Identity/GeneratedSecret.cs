using System.Security.Cryptography;

namespace HomeOps.Simulator.Identity;

/// <summary>Random passwords and client secrets for when the configuration provides none.</summary>
internal static class GeneratedSecret
{
    // Letters and digits only: easy to copy from a terminal, and 24 of them still carry about 142 bits.
    private const string Alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";

    public static string New(int length = 24) => RandomNumberGenerator.GetString(Alphabet, length);
}
