using HomeOps.Deploy.Tests;

namespace HomeOps.Cli.Tests.Scripts;

/// <summary>
/// <c>./test.sh</c> on a fresh machine: with Chromium or PostgreSQL 15 (initdb, pg_ctl) missing it installs them when it
/// runs as root, and otherwise stops before anything is built or run with one line saying what to install; its closing
/// line counts skipped tests too.
/// The real script runs, copied into a scratch folder (it works in its own folder, so the repository's TestResults are
/// never touched), with stand-ins for <c>dotnet</c> and <c>apt-get</c> first on PATH that record how they were called.
/// </summary>
public sealed class TestScriptTests : IDisposable
{
    private const string Nobody = "65534";

    private readonly DirectoryInfo _scratch = Directory.CreateTempSubdirectory("homeops-testsh-");
    private readonly string _repo;
    private readonly string _stubs;
    private readonly string _calls;

    public TestScriptTests()
    {
        _repo = Path.Combine(_scratch.FullName, "repo");
        _stubs = Path.Combine(_scratch.FullName, "stubs");
        _calls = Path.Combine(_scratch.FullName, "calls");
        Directory.CreateDirectory(_repo);
        Directory.CreateDirectory(_stubs);
        Directory.CreateDirectory(_calls);
        File.Copy(Path.Combine(RepoPaths.Root, "test.sh"), Path.Combine(_repo, "test.sh"));
        File.SetUnixFileMode(Path.Combine(_repo, "test.sh"), (UnixFileMode)0b111_101_101);
        // dotnet: records its arguments; "dotnet test" writes the TRX files named by TRX_COUNTERS into --results-directory.
        Stub("dotnet", """
            echo "$*" >> "$CALLS/dotnet"
            if [ "$1" = "test" ]; then
              while [ $# -gt 0 ]; do [ "$1" = "--results-directory" ] && dir="$2"; shift; done
              mkdir -p "$dir"; i=0
              for c in ${TRX_COUNTERS:-}; do
                i=$((i + 1))
                IFS=, read -r p f s e <<<"$c"
                printf '<TestRun><ResultSummary outcome="Completed"><Counters total="%d" executed="%d" passed="%d" failed="%d" error="%d" timeout="0" aborted="0" inconclusive="0" notExecuted="%d" /></ResultSummary></TestRun>\n' \
                  $((p + f + s + e)) $((p + f + e)) "$p" "$f" "$e" "$s" > "$dir/run$i.trx"
              done
              exit "${TEST_EXIT:-0}"
            fi
            exit 0
            """);
        // apt-get: records its arguments; "install" puts an executable where the script looks for Chromium, unless told to fail.
        Stub("apt-get", """
            echo "$*" >> "$CALLS/apt-get"
            [ "${APT_FAILS:-}" = "1" ] && exit 100
            case " $* " in *" install "*" chromium"*) printf '#!/bin/sh\n' > "$HOMEOPS_CHROMIUM"; chmod 755 "$HOMEOPS_CHROMIUM";; esac
            case " $* " in *" install "*" postgresql"*) mkdir -p "$HOMEOPS_PG_BIN"; for t in initdb pg_ctl; do printf '#!/bin/sh\n' > "$HOMEOPS_PG_BIN/$t"; chmod 755 "$HOMEOPS_PG_BIN/$t"; done;; esac
            exit 0
            """);
        // PostgreSQL present unless a test removes it.
        Directory.CreateDirectory(PgBin);
        foreach (var tool in new[] { "initdb", "pg_ctl" })
        {
            File.WriteAllText(Path.Combine(PgBin, tool), "#!/bin/sh\n");
            File.SetUnixFileMode(Path.Combine(PgBin, tool), (UnixFileMode)0b111_101_101);
        }
        // Readable and writable by an unprivileged user too (the non-root case runs as nobody).
        foreach (var dir in new[] { _scratch.FullName, _repo, _stubs, _calls })
            File.SetUnixFileMode(dir, (UnixFileMode)0b111_111_111);
    }

    private string TestSh => Path.Combine(_repo, "test.sh");

    private string MissingChromium => Path.Combine(_scratch.FullName, "chromium");

    private string PgBin => Path.Combine(_scratch.FullName, "pgbin");

    private void ChromiumPresent()
    {
        File.WriteAllText(MissingChromium, "#!/bin/sh\n");
        File.SetUnixFileMode(MissingChromium, (UnixFileMode)0b111_101_101);
    }

    [Fact]
    public async Task Not_root_and_PostgreSQL_missing_stops_before_any_build_with_one_line_saying_what_to_install()
    {
        ChromiumPresent();
        Directory.Delete(PgBin, recursive: true);

        var result = await RunAsync(["setpriv", $"--reuid={Nobody}", $"--regid={Nobody}", "--clear-groups", TestSh]);

        Assert.NotEqual(0, result.ExitCode);
        var line = Assert.Single((result.StandardOutput + result.StandardError).Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("apt-get install -y postgresql", line);
        Assert.False(File.Exists(Path.Combine(_calls, "dotnet")), "nothing is built or run");
        Assert.False(File.Exists(Path.Combine(_calls, "apt-get")), "an unprivileged user is not made to install");
    }

    [Fact]
    public async Task Not_root_and_both_missing_names_both_in_one_line_and_check_only_says_so_too()
    {
        Directory.Delete(PgBin, recursive: true);

        foreach (var args in new[] { new[] { TestSh }, [TestSh, "--check-only"] })
        {
            var result = await RunAsync(["setpriv", $"--reuid={Nobody}", $"--regid={Nobody}", "--clear-groups", .. args]);
            Assert.NotEqual(0, result.ExitCode);
            var line = Assert.Single((result.StandardOutput + result.StandardError).Split('\n', StringSplitOptions.RemoveEmptyEntries));
            Assert.Contains("apt-get install -y chromium postgresql", line);
        }
        Assert.False(File.Exists(Path.Combine(_calls, "dotnet")), "nothing is built or run");
    }

    [Fact]
    public async Task Root_and_PostgreSQL_missing_installs_it_then_runs_the_tests()
    {
        ChromiumPresent();
        Directory.Delete(PgBin, recursive: true);

        var result = await RunAsync([TestSh]);

        Assert.True(result.ExitCode == 0, result.Describe("test.sh"));
        Assert.Equal(["update -qq", "install -y -qq postgresql"], Calls("apt-get"));
        Assert.True(File.Exists(Path.Combine(PgBin, "initdb")));
        Assert.Contains(Calls("dotnet"), c => c.StartsWith("test --solution HomeOps.Dashboard.sln", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Not_root_and_Chromium_missing_stops_before_any_build_with_one_line_saying_what_to_install()
    {
        var result = await RunAsync(["setpriv", $"--reuid={Nobody}", $"--regid={Nobody}", "--clear-groups", TestSh]);

        Assert.NotEqual(0, result.ExitCode);
        var lines = (result.StandardOutput + result.StandardError).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var line = Assert.Single(lines);
        Assert.Contains("apt-get install -y chromium", line);
        Assert.False(File.Exists(Path.Combine(_calls, "dotnet")), "nothing is built or run");
        Assert.False(File.Exists(Path.Combine(_calls, "apt-get")), "an unprivileged user is not made to install");
    }

    [Fact]
    public async Task Root_and_Chromium_missing_installs_it_then_runs_the_tests()
    {
        var result = await RunAsync([TestSh]);

        Assert.True(result.ExitCode == 0, result.Describe("test.sh"));
        Assert.Equal(["update -qq", "install -y -qq chromium"], Calls("apt-get"));
        Assert.True(File.Exists(MissingChromium));
        Assert.Contains(Calls("dotnet"), c => c.StartsWith("test --solution HomeOps.Dashboard.sln", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Root_and_the_install_failing_stops_with_one_line()
    {
        var result = await RunAsync([TestSh], new() { ["APT_FAILS"] = "1" });

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("could not install chromium", Assert.Single(result.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries)));
        Assert.False(File.Exists(Path.Combine(_calls, "dotnet")), "nothing is built or run");
    }

    [Fact]
    public async Task Chromium_present_installs_nothing()
    {
        File.WriteAllText(MissingChromium, "#!/bin/sh\n");
        File.SetUnixFileMode(MissingChromium, (UnixFileMode)0b111_101_101);

        var result = await RunAsync([TestSh, "--check-only"]);

        Assert.True(result.ExitCode == 0, result.Describe("test.sh --check-only"));
        Assert.False(File.Exists(Path.Combine(_calls, "apt-get")));
        Assert.False(File.Exists(Path.Combine(_calls, "dotnet")), "--check-only runs no tests");
    }

    [Theory]
    [InlineData("38,0,9,0", 0, "38 passed, 0 failed, 9 skipped")]
    [InlineData("38,0,9,0 10,2,1,0", 2, "48 passed, 2 failed, 10 skipped")]
    [InlineData("5,0,0,1", 2, "5 passed, 1 failed, 0 skipped")]     // an error is a failure
    [InlineData("", 2, "0 passed, 1 failed, 0 skipped")]           // a crash with no results must not look green
    public async Task The_closing_line_counts_passed_failed_and_skipped_from_the_TRX_files(string counters, int exit, string closing)
    {
        File.WriteAllText(MissingChromium, "#!/bin/sh\n");
        File.SetUnixFileMode(MissingChromium, (UnixFileMode)0b111_101_101);

        var result = await RunAsync([TestSh], new() { ["TRX_COUNTERS"] = counters, ["TEST_EXIT"] = exit.ToString() });

        Assert.Equal(exit, result.ExitCode);
        Assert.Equal(closing, result.StandardOutput.TrimEnd('\n').Split('\n')[^1]);
    }

    private async Task<ProcessResult> RunAsync(string[] command, Dictionary<string, string>? extra = null)
    {
        var environment = new Dictionary<string, string>
        {
            ["PATH"] = $"{_stubs}:/usr/sbin:/usr/bin:/sbin:/bin",
            ["CALLS"] = _calls,
            ["HOMEOPS_CHROMIUM"] = MissingChromium,
            ["HOMEOPS_PG_BIN"] = PgBin,
            ["HOMEOPS_TEST_ARTIFACTS"] = Path.Combine(_scratch.FullName, "artifacts"),
        };
        foreach (var (k, v) in extra ?? []) environment[k] = v;
        return await ProcessRunner.RunAsync(command[0], command[1..], _repo, TimeSpan.FromSeconds(60), environment);
    }

    private string[] Calls(string tool)
    {
        var path = Path.Combine(_calls, tool);
        return File.Exists(path) ? File.ReadAllLines(path) : [];
    }

    private void Stub(string name, string body)
    {
        var path = Path.Combine(_stubs, name);
        File.WriteAllText(path, "#!/usr/bin/env bash\n" + body + "\n");
        File.SetUnixFileMode(path, (UnixFileMode)0b111_101_101);
    }

    public void Dispose() => _scratch.Delete(recursive: true);
}
