using System.Text.RegularExpressions;

namespace HomeOps.Operations.Timeline;

/// <summary>
/// The commit behind a Flux revision, and its page on the Git host of the source URL. Flux writes revisions as
/// <c>main@sha1:&lt;sha&gt;</c> (v2), <c>sha1:&lt;sha&gt;</c>, or <c>main/&lt;sha&gt;</c> (older); the source URL as
/// <c>https://github.com/o/r(.git)</c>, <c>ssh://git@github.com/o/r.git</c> or <c>git@github.com:o/r.git</c>.
/// </summary>
public static partial class CommitLinks
{
    /// <summary>The commit sha in a revision; null when the revision names none (a chart version, an OCI digest, "").</summary>
    public static string? CommitOf(string? revision)
    {
        if (string.IsNullOrWhiteSpace(revision)) return null;
        var m = ShaRevision().Match(revision);
        return m.Success ? m.Groups["sha"].Value.ToLowerInvariant() : null;
    }

    /// <summary>The commit's web page, for GitHub, GitLab and Gitea/Forgejo/Codeberg-style hosts; null when unknown.</summary>
    public static string? CommitUrl(string? sourceUrl, string? revision)
    {
        if (CommitOf(revision) is not { } sha || RepositoryPage(sourceUrl) is not { } repo) return null;
        return repo.Host switch
        {
            "gitlab.com" => $"{repo.Page}/-/commit/{sha}",
            _ when repo.Host.Contains("gitlab", StringComparison.OrdinalIgnoreCase) => $"{repo.Page}/-/commit/{sha}",
            _ => $"{repo.Page}/commit/{sha}",
        };
    }

    private static (string Host, string Page)? RepositoryPage(string? url)
    {
        if (string.IsNullOrWhiteSpace(url)) return null;
        string host, path;
        var scp = ScpLike().Match(url);
        if (scp.Success)
        {
            host = scp.Groups["host"].Value;
            path = scp.Groups["path"].Value;
        }
        else if (Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Scheme is "https" or "http" or "ssh" && uri.Host.Length > 0)
        {
            host = uri.Host;
            path = uri.AbsolutePath.Trim('/');
        }
        else return null;
        if (path.EndsWith(".git", StringComparison.OrdinalIgnoreCase)) path = path[..^4];
        if (path.Length == 0 || path.Contains("..", StringComparison.Ordinal) || !SafePath().IsMatch(path)) return null;
        return (host.ToLowerInvariant(), $"https://{host.ToLowerInvariant()}/{path}");
    }

    [GeneratedRegex(@"(?:^|[@:/])(?<sha>[0-9a-fA-F]{7,64})$")]
    private static partial Regex ShaRevision();

    [GeneratedRegex(@"^[\w.-]+@(?<host>[\w.-]+):(?<path>[^/].*)$")]
    private static partial Regex ScpLike();

    [GeneratedRegex(@"^[\w.~/-]+$")]
    private static partial Regex SafePath();
}
