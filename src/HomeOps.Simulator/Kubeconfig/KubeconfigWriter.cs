using System.Text;

namespace HomeOps.Simulator.Kubeconfig;

/// <summary>
/// Writes the kubeconfig that points kubectl and KubernetesClient at the simulator: one cluster, one token user,
/// context <c>home-ops-simulator</c>, selected as current. Readable only by the owner, since it holds a token.
/// The server is the HTTPS endpoint with its CA inline: client-go (kubectl) sends credentials only over TLS.
/// </summary>
public static class KubeconfigWriter
{
    public const string ContextName = "home-ops-simulator";
    public const string FileName = "kubeconfig";

    public static string Write(string directory, Uri server, string token, string certificateAuthorityPem)
    {
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, FileName);
        var text = Render(server, token, certificateAuthorityPem);
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows()) options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        using (var stream = new FileStream(path, options))
        {
            stream.Write(Encoding.UTF8.GetBytes(text));
        }
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        return path;
    }

    public static string Render(Uri server, string token, string certificateAuthorityPem) =>
        $$"""
        apiVersion: v1
        kind: Config
        clusters:
        - name: {{ContextName}}
          cluster:
            server: {{server.GetLeftPart(UriPartial.Authority)}}
            certificate-authority-data: {{Convert.ToBase64String(Encoding.ASCII.GetBytes(certificateAuthorityPem))}}
        users:
        - name: {{ContextName}}
          user:
            token: {{token}}
        contexts:
        - name: {{ContextName}}
          context:
            cluster: {{ContextName}}
            user: {{ContextName}}
            namespace: default
        current-context: {{ContextName}}
        preferences: {}

        """;
}
