using HomeOps.Cluster.Sources;
using HomeOps.Dashboard.Auth;
using HomeOps.Dashboard.Services;

namespace HomeOps.Dashboard.Endpoints;

/// <summary>
/// <c>GET /api/v1/pods/{namespace}/{name}/log</c>: a container's last lines as <c>text/plain</c> (<c>container</c>,
/// <c>tailLines</c>), or with <c>follow=true</c> those and every new line until the caller goes away. Operators only
/// (403 for viewers, from the policy and again from <see cref="PodLogAccess"/>); secrets are masked.
/// </summary>
public static class PodLogEndpoints
{
    public static WebApplication MapPodLogEndpoints(this WebApplication app)
    {
        app.MapGet("/api/v1/pods/{namespace}/{name}/log",
                async (string @namespace, string name, string? container, int? tailLines, bool? follow, PodLogAccess logs, HttpContext http) =>
                {
                    var ct = http.RequestAborted;
                    try
                    {
                        if (follow != true)
                        {
                            var lines = await logs.TailAsync(http.User, @namespace, name, container, tailLines, ct);
                            return Results.Text(string.Concat(lines.Select(l => l + "\n")), "text/plain; charset=utf-8");
                        }
                        // Resolve and admit before the 200 goes out, so a refusal is still a status code.
                        var stream = logs.FollowAsync(http.User, @namespace, name, container, tailLines, ct).GetAsyncEnumerator(ct);
                        var first = await stream.MoveNextAsync();
                        return Results.Stream(async body =>
                        {
                            await using (stream)
                            {
                                var writer = new StreamWriter(body) { AutoFlush = true };
                                try
                                {
                                    if (first) await writer.WriteLineAsync(stream.Current);
                                    while (await stream.MoveNextAsync()) await writer.WriteLineAsync(stream.Current);
                                }
                                catch (OperationCanceledException) { }
                                catch (PodLogException) { }
                            }
                        }, "text/plain; charset=utf-8");
                    }
                    catch (PodLogException e)
                    {
                        return Results.Text(e.Message + "\n", "text/plain; charset=utf-8", statusCode: (int)e.Status);
                    }
                })
            .RequireAuthorization(Policies.Operator)
            .WithName("pod-log");
        return app;
    }
}
