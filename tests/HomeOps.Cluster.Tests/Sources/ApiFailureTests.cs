using System.Net;
using System.Net.Sockets;
using HomeOps.Cluster.Model;
using HomeOps.Cluster.Sources;
using k8s;
using k8s.Models;

namespace HomeOps.Cluster.Tests.Sources;

public sealed class ApiFailureTests
{
    [Theory]
    [InlineData(410, ApiFailureKind.Expired)]
    [InlineData(404, ApiFailureKind.NotInstalled)]
    [InlineData(403, ApiFailureKind.Forbidden)]
    [InlineData(401, ApiFailureKind.Unauthorized)]
    [InlineData(500, ApiFailureKind.Other)]
    [InlineData(503, ApiFailureKind.Other)]
    public void Status_codes_map_to_what_an_informer_does_next(int code, ApiFailureKind expected)
    {
        Assert.Equal(expected, ApiFailure.FromStatus(code, "", Kinds.Kustomization).Kind);
    }

    [Fact]
    public void Too_large_resource_version_means_relist()
    {
        var failure = ApiFailure.FromStatus(504, "Too large resource version: 900, current: 12", Kinds.Node);
        Assert.Equal(ApiFailureKind.ResourceVersionUnavailable, failure.Kind);
        Assert.True(failure.NeedsRelist);
    }

    [Fact]
    public void Forbidden_names_the_missing_permission()
    {
        Assert.Equal("needs get/list/watch on volumes.longhorn.io", ApiFailure.FromStatus(403, "", Kinds.LonghornVolume).Message);
        Assert.Equal("needs get/list/watch on nodes", ApiFailure.FromStatus(403, "", Kinds.Node).Message);
    }

    [Fact]
    public void A_watch_error_status_is_classified_by_its_code()
    {
        var expired = new KubernetesException(new V1Status { Code = 410, Reason = "Expired", Message = "too old resource version: 5 (9)" });
        var failure = ApiFailure.From(expired, Kinds.Node);
        Assert.Equal(ApiFailureKind.Expired, failure.Kind);
        Assert.Contains("too old resource version", failure.Message);
    }

    [Fact]
    public void Transport_errors_say_the_API_is_unreachable()
    {
        var refused = new HttpRequestException("Connection refused (127.0.0.1:1)", new SocketException((int)SocketError.ConnectionRefused));
        var failure = ApiFailure.From(refused, Kinds.Node);
        Assert.Equal(ApiFailureKind.Transport, failure.Kind);
        Assert.StartsWith("API unreachable", failure.Message);

        Assert.Equal(ApiFailureKind.Unauthorized, ApiFailure.From(new HttpRequestException("x", null, HttpStatusCode.Unauthorized), Kinds.Node).Kind);
    }
}
