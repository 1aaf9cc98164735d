using System.Net;
using k8s;
using k8s.Autorest;

namespace HomeOps.Cluster.Sources;

/// <summary>
/// The informer's own GET requests, sent through KubernetesClient's public parts — its <see cref="Kubernetes.HttpClient"/>
/// (TLS, client certificates), <see cref="Kubernetes.BaseUri"/> and <see cref="Kubernetes.Credentials"/> (bearer token,
/// exec plugins) — so that the informer reads the response body itself: lists with <see cref="InformerJson"/>, watches
/// line by line with <see cref="Utf8LineSplitter"/>. Failures surface as KubernetesClient's do (an
/// <see cref="HttpOperationException"/> carrying the status and the Status body), so <see cref="ApiFailure"/> reads them alike.
/// </summary>
public sealed class KubernetesRequests
{
    private readonly Kubernetes _client;

    public KubernetesRequests(IKubernetes client)
    {
        _client = client as Kubernetes ?? throw new ArgumentException(
            $"the informers need KubernetesClient's {nameof(Kubernetes)} (its HttpClient and credentials), not {client.GetType().Name}", nameof(client));
    }

    /// <summary>KubernetesClient's <c>HttpClientTimeout</c> (100 s by default): the bound of a list request, never of a watch.</summary>
    public TimeSpan RequestTimeout => _client.HttpClientTimeout;

    /// <summary>The collection path of a kind: <c>api/v1/nodes</c>, <c>apis/longhorn.io/v1beta2/volumes</c>.</summary>
    public static string CollectionPath(Model.KindInfo kind) =>
        kind.Group.Length == 0 ? $"api/{kind.Version}/{kind.Plural}" : $"apis/{kind.Group}/{kind.Version}/{kind.Plural}";

    /// <summary>
    /// Sends a GET and returns as soon as the response headers arrive (a watch body keeps streaming). The caller owns
    /// the response. A status other than 2xx throws <see cref="HttpOperationException"/> with the body read.
    /// </summary>
    public async Task<HttpResponseMessage> GetAsync(string pathAndQuery, CancellationToken cancellationToken)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, new Uri(_client.BaseUri, pathAndQuery))
        {
            // As KubernetesClient asks: HTTP/2 over TLS when the server offers it (one connection for all watches).
            Version = HttpVersion.Version20,
        };
        request.Headers.Accept.ParseAdd("application/json");
        if (_client.Credentials is { } credentials)
            await credentials.ProcessHttpRequestAsync(request, cancellationToken).ConfigureAwait(false);

        var response = await _client.HttpClient.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        if (response.IsSuccessStatusCode) return response;
        using (response)
        {
            var content = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            throw new HttpOperationException($"Operation returned an invalid status code '{response.StatusCode}'")
            {
                Request = new HttpRequestMessageWrapper(request, null),
                Response = new HttpResponseMessageWrapper(response, content),
            };
        }
    }
}
