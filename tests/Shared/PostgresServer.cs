using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace HomeOps.Testing;

/// <summary>
/// A real PostgreSQL 15 for the tests (issue 14): Debian's <c>initdb</c> and <c>pg_ctl</c> (<c>HOMEOPS_PG_BIN</c>, default
/// <c>/usr/lib/postgresql/15/bin</c>; <c>./test.sh</c> installs the package) on a cluster in a temp directory, listening on a
/// free loopback TCP port, password authentication (scram-sha-256) as a real deployment has it. initdb refuses to run as
/// root: as root the server runs as <c>nobody</c> in a directory it owns. Each <see cref="CreateDatabaseAsync"/> gives a
/// test its own database; dispose stops the server (immediate) and removes the directory.
/// </summary>
public sealed class PostgresServer : IAsyncDisposable
{
    public const string User = "homeops";
    private const string Unprivileged = "nobody";

    private readonly string _bin;
    private readonly string _root;
    private readonly bool _asRoot;

    private PostgresServer(string bin, string root, int port, string password, bool asRoot)
    {
        _bin = bin;
        _root = root;
        Port = port;
        Password = password;
        _asRoot = asRoot;
    }

    public int Port { get; }

    public string Password { get; }

    private string Data => Path.Combine(_root, "data");

    public static string BinDirectory => Environment.GetEnvironmentVariable("HOMEOPS_PG_BIN") is { Length: > 0 } b ? b : "/usr/lib/postgresql/15/bin";

    public static async Task<PostgresServer> StartAsync()
    {
        var bin = BinDirectory;
        if (!File.Exists(Path.Combine(bin, "initdb")) || !File.Exists(Path.Combine(bin, "pg_ctl")))
            throw new InvalidOperationException($"PostgreSQL 15 is not installed ({bin}/initdb): run ./test.sh as root, or 'sudo apt-get install -y postgresql'");
        var asRoot = Environment.UserName == "root" || geteuid() == 0;
        var root = Directory.CreateTempSubdirectory("homeops-pg-").FullName;
        var password = "pg-" + Guid.NewGuid().ToString("N");
        var pwfile = Path.Combine(root, "pwfile");
        await File.WriteAllTextAsync(pwfile, password + "\n");
        if (asRoot) await RunAsync("chown", ["-R", $"{Unprivileged}:nogroup", root], asUser: false);
        var server = new PostgresServer(bin, root, FreePort(), password, asRoot);
        try
        {
            await server.RunPgAsync("initdb", ["-D", server.Data, "-U", User, "--pwfile", pwfile, "--auth-local=trust", "--auth-host=scram-sha-256",
                "-E", "UTF8", "--locale=C.UTF-8", "--no-sync"]);
            File.Delete(pwfile);
            await server.RunPgAsync("pg_ctl", ["-D", server.Data, "-l", Path.Combine(root, "server.log"), "-w", "-t", "60", "start",
                "-o", $"-p {server.Port} -k {root} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200"]);
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    /// <summary>The connection string of the server's <c>postgres</c> database (or <paramref name="database"/>).</summary>
    public string ConnectionString(string database = "postgres") =>
        $"Host=127.0.0.1;Port={Port};Username={User};Password={Password};Database={database};Pooling=true;Timeout=30";

    /// <summary>A new empty database; returns its connection string.</summary>
    public async Task<string> CreateDatabaseAsync(string name)
    {
        await RunPgClientAsync($"CREATE DATABASE \"{name}\"");
        return ConnectionString(name);
    }

    /// <summary>Runs one SQL statement with psql over the unix socket (trust for local connections).</summary>
    public async Task<string> QueryAsync(string database, string sql) =>
        await RunAsync("/usr/bin/psql", ["-h", _root, "-p", Port.ToString(), "-U", User, "-d", database, "-At", "-v", "ON_ERROR_STOP=1", "-c", sql], asUser: _asRoot);

    private Task<string> RunPgClientAsync(string sql) => QueryAsync("postgres", sql);

    private Task<string> RunPgAsync(string tool, string[] args) => RunAsync(Path.Combine(_bin, tool), args, _asRoot);

    public string Log => File.Exists(Path.Combine(_root, "server.log")) ? File.ReadAllText(Path.Combine(_root, "server.log")) : "";

    private static async Task<string> RunAsync(string program, string[] args, bool asUser)
    {
        var psi = new ProcessStartInfo(asUser ? "runuser" : program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        if (asUser)
        {
            foreach (var a in new[] { "-u", Unprivileged, "--", program }) psi.ArgumentList.Add(a);
        }
        foreach (var a in args) psi.ArgumentList.Add(a);
        psi.Environment["LC_ALL"] = "C.UTF-8";
        psi.WorkingDirectory = "/";
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await p.WaitForExitAsync(cts.Token);
        if (p.ExitCode != 0)
            throw new InvalidOperationException($"{program} {string.Join(' ', args)} exited {p.ExitCode}:\n{await stdout}\n{await stderr}");
        return (await stdout).Trim();
    }

    private static int FreePort()
    {
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        return port;
    }

    [System.Runtime.InteropServices.DllImport("libc")]
    private static extern uint geteuid();

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (File.Exists(Path.Combine(Data, "postmaster.pid")))
                await RunPgAsync("pg_ctl", ["-D", Data, "-m", "immediate", "-w", "stop"]);
        }
        catch (InvalidOperationException) { }
        try { Directory.Delete(_root, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
