using System.Diagnostics;
using HomeOps.Operations.Guards;

namespace HomeOps.Operations.Tests.Support;

public sealed class TempDir : IDisposable
{
    public TempDir()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "homeops-ops-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public string File(string name) => System.IO.Path.Combine(Path, name);

    public void Dispose()
    {
        try { Directory.Delete(Path, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}

public static class Actors
{
    public static Actor Operator(string user = "admin") => new(user, ["homeops-operators", "authentik Admins"], true, DateTimeOffset.UtcNow.AddSeconds(-30));

    public static Actor StaleOperator() => new("admin", ["homeops-operators"], true, DateTimeOffset.UtcNow.AddHours(-2));

    public static Actor Viewer() => new("viewer", ["homeops-viewers"], false, DateTimeOffset.UtcNow);
}

public static class Wait
{
    /// <summary>Polls <paramref name="condition"/> every 20 ms until it holds, failing after <paramref name="seconds"/>.</summary>
    public static async Task Until(Func<bool> condition, string what, double seconds = 10)
    {
        var sw = Stopwatch.StartNew();
        while (!condition())
        {
            if (sw.Elapsed > TimeSpan.FromSeconds(seconds)) Assert.Fail($"timed out after {seconds} s waiting for: {what}");
            await Task.Delay(20, TestContext.Current.CancellationToken);
        }
    }

    public static async Task Until(Func<Task<bool>> condition, string what, double seconds = 10)
    {
        var sw = Stopwatch.StartNew();
        while (!await condition())
        {
            if (sw.Elapsed > TimeSpan.FromSeconds(seconds)) Assert.Fail($"timed out after {seconds} s waiting for: {what}");
            await Task.Delay(20, TestContext.Current.CancellationToken);
        }
    }
}

public static class Processes
{
    /// <summary>Gone, or a zombie waiting for init to reap it (dead either way).</summary>
    public static bool IsGone(int pid)
    {
        var stat = $"/proc/{pid}/stat";
        if (!File.Exists(stat)) return true;
        try
        {
            var text = File.ReadAllText(stat);
            var close = text.LastIndexOf(')');
            return close > 0 && close + 2 < text.Length && text[close + 2] == 'Z';
        }
        catch (IOException) { return true; }
    }

    public static int ReadPid(string file) => int.Parse(File.ReadAllText(file).Trim());
}

public static class Ports
{
    /// <summary>A loopback port nothing listens on (bound and released): "the API server is unreachable".</summary>
    public static int Closed()
    {
        var probe = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        probe.Start();
        var port = ((System.Net.IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        return port;
    }
}
