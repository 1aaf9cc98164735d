using System.Text;
using HomeOps.Cluster.Metrics;

namespace HomeOps.Cluster.Tests.Metrics;

public sealed class PrometheusTextTests
{
    [Theory]
    [InlineData("plain", "plain")]
    [InlineData("a\"b", "a\\\"b")]
    [InlineData("a\\b", "a\\\\b")]
    [InlineData("a\nb", "a\\nb")]
    [InlineData("\\\"\n", "\\\\\\\"\\n")]
    [InlineData("tab\tand\rcr", "tab\tand\rcr")] // only the three characters the format names are escaped
    public void Label_values_escape_backslash_quote_and_newline(string raw, string escaped) =>
        Assert.Equal(escaped, PrometheusText.EscapeLabelValue(raw));

    [Fact]
    public void Help_escapes_backslash_and_newline_but_not_quotes() =>
        Assert.Equal("say \"hi\"\\nC:\\\\x", PrometheusText.EscapeHelp("say \"hi\"\nC:\\x"));

    [Theory]
    [InlineData(1.0, "1")]
    [InlineData(0.0, "0")]
    [InlineData(-3600.0, "-3600")]
    [InlineData(1e12, "1000000000000")]
    [InlineData(12.5, "12.5")]
    [InlineData(double.PositiveInfinity, "+Inf")]
    [InlineData(double.NegativeInfinity, "-Inf")]
    [InlineData(double.NaN, "NaN")]
    public void Values_are_spelled_as_prometheus_reads_them(double value, string text)
    {
        Assert.Equal(text, PrometheusText.FormatValue(value));
        Assert.Equal(value, ExpositionParser.ParseValue(text));
    }

    [Fact]
    public void A_duplicate_series_is_dropped_so_the_scrape_stays_valid()
    {
        var family = new MetricFamily("homeops_test", MetricType.Gauge, "test", "a", "b");
        Assert.True(family.Add(1, "x", "y"));
        Assert.False(family.Add(2, "x", "y"));
        // Values that would collide if joined naively stay distinct series.
        Assert.True(family.Add(3, "x\0", "y"));
        Assert.True(family.Add(4, "x", "\0y"));
        var sb = new StringBuilder();
        family.WriteTo(sb);
        var parsed = ExpositionParser.Parse(sb.ToString()).Family("homeops_test");
        Assert.Equal(3, parsed.Samples.Count);
        Assert.Equal(1, parsed.Samples.Single(s => s.Label("a") == "x" && s.Label("b") == "y").Value);
    }

    [Fact]
    public void Invalid_names_are_refused_at_construction()
    {
        Assert.Throws<ArgumentException>(() => new MetricFamily("homeops-bad", MetricType.Gauge, "x"));
        Assert.Throws<ArgumentException>(() => new MetricFamily("homeops_ok", MetricType.Gauge, "x", "__reserved"));
        Assert.Throws<ArgumentException>(() => new MetricFamily("homeops_ok", MetricType.Gauge, "x", "bad-label"));
        var family = new MetricFamily("homeops_ok", MetricType.Gauge, "x", "a");
        Assert.Throws<ArgumentException>(() => family.Add(1, "one", "two"));
    }

    [Fact]
    public void The_test_parser_rejects_what_prometheus_rejects()
    {
        Assert.Throws<FormatException>(() => ExpositionParser.Parse("homeops_x{a=\"unterminated} 1\n"));
        Assert.Throws<FormatException>(() => ExpositionParser.Parse("homeops_x{a=\"bad\\t\"} 1\n"));
        Assert.Throws<FormatException>(() => ExpositionParser.Parse("homeops_x 1\nhomeops_x 2\n"));
        Assert.Throws<FormatException>(() => ExpositionParser.Parse("homeops_x one\n"));
        Assert.Throws<FormatException>(() => ExpositionParser.Parse("homeops_x 1\nhomeops_y 1\nhomeops_x{a=\"b\"} 1\n"));
        Assert.Throws<FormatException>(() => ExpositionParser.Parse("homeops_x 1"));
        Assert.Throws<FormatException>(() => ExpositionParser.Parse("# TYPE homeops_x banana\n"));
    }
}
