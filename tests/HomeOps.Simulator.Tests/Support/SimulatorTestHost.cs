using System.Net.Http.Headers;

namespace HomeOps.Simulator.Tests.Support;

/// <summary>Starts a simulator on a free loopback port for one test (or one test class), scenarios off.</summary>
internal static class SimulatorTestHost
{
    public static Task<SimulatorHost> StartAsync(Action<SimulatorOptions>? configure = null)
    {
        var options = new SimulatorOptions();
        configure?.Invoke(options);
        return SimulatorHost.StartAsync(options, cancellationToken: TestContext.Current.CancellationToken);
    }

    /// <summary>An HttpClient for the Kubernetes API, authenticated with the kubeconfig's token.</summary>
    public static HttpClient KubernetesClient(this SimulatorHost host, TimeSpan? timeout = null)
    {
        var client = new HttpClient { BaseAddress = host.BaseUri, Timeout = timeout ?? TimeSpan.FromSeconds(30) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", host.KubernetesToken);
        return client;
    }

    /// <summary>An HttpClient for the Authentik API, authenticated with the admin token.</summary>
    public static HttpClient AuthentikClient(this SimulatorHost host)
    {
        var client = new HttpClient { BaseAddress = host.AuthentikBaseUri };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", host.AuthentikToken);
        return client;
    }
}
