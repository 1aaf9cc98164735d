using System.Security.Cryptography;
using System.Text;

namespace HomeOps.Simulator.Seed;

/// <summary>
/// Stable identifiers derived from a name, so that the built-in seed has the same volume names, disk ids and
/// commit hashes on every start (tests and screenshots can name them).
/// </summary>
internal static class SeedIds
{
    public static string Hex(string name, int length)
    {
        var builder = new StringBuilder();
        var round = 0;
        while (builder.Length < length)
        {
            builder.Append(Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{name}#{round++}"))));
        }
        return builder.ToString(0, length);
    }

    public static Guid Guid(string name)
    {
        var bytes = SHA256.HashData(Encoding.UTF8.GetBytes(name)).AsSpan(0, 16).ToArray();
        bytes[7] = (byte)((bytes[7] & 0x0F) | 0x40); // version 4 layout, like the uids the API server hands out
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80);
        return new Guid(bytes);
    }

    public static string Uid(string name) => Guid(name).ToString();
}
