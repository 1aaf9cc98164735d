using HomeOps.Cluster.Metrics;

namespace HomeOps.Cluster.Tests.Metrics;

public sealed class BearerTokenTests
{
    private const string Token = "s3cret-metrics-token";

    [Theory]
    [InlineData(null, null)]
    [InlineData("", "Bearer whatever")]
    [InlineData("   ", null)]
    public void No_configured_token_means_open(string? configured, string? header) =>
        Assert.True(BearerToken.Authorizes(configured, header));

    [Theory]
    [InlineData("Bearer " + Token)]
    [InlineData("bearer " + Token)]
    [InlineData("Bearer  " + Token + " ")]
    public void The_configured_token_is_accepted(string header) => Assert.True(BearerToken.Authorizes(Token, header));

    [Fact]
    public void A_token_from_a_secret_file_with_a_trailing_newline_still_matches() =>
        Assert.True(BearerToken.Authorizes(Token + "\n", "Bearer " + Token));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData(Token)]
    [InlineData("Basic " + Token)]
    [InlineData("Bearer")]
    [InlineData("Bearer ")]
    [InlineData("Bearer " + Token + "x")]
    [InlineData("Bearer s3cret")]
    [InlineData("Bearer S3CRET-METRICS-TOKEN")]
    public void Anything_else_is_refused(string? header) => Assert.False(BearerToken.Authorizes(Token, header));
}
