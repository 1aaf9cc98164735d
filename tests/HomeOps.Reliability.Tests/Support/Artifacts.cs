using System.Text.Encodings.Web;
using System.Text.Json;

namespace HomeOps.Reliability.Tests.Support;

/// <summary>Where figures go: <c>$HOMEOPS_TEST_ARTIFACTS/reliability</c>, else <c>artifacts/reliability</c> next to the test binaries.</summary>
internal static class Artifacts
{
    /// <summary>Indented, and readable by people: quotes and '+' are not escaped (the files are never embedded in HTML).</summary>
    public static readonly JsonSerializerOptions Json = new() { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static string Directory
    {
        get
        {
            var root = Environment.GetEnvironmentVariable("HOMEOPS_TEST_ARTIFACTS");
            var dir = Path.Combine(string.IsNullOrWhiteSpace(root) ? Path.Combine(AppContext.BaseDirectory, "artifacts") : root, "reliability");
            System.IO.Directory.CreateDirectory(dir);
            return dir;
        }
    }

    public static string Write(string fileName, string content)
    {
        var path = Path.Combine(Directory, fileName);
        File.WriteAllText(path, content);
        TestContext.Current.TestOutputHelper?.WriteLine($"artifact: {path}");
        return path;
    }
}
