using AngleSharp.Html.Parser;
using Bunit;
using HomeOps.Dashboard.Components.Controls;
using HomeOps.Dashboard.Components.Controls.Operations;

namespace HomeOps.Dashboard.Tests.Components;

/// <summary>
/// The tiny inline-Markdown renderer of workflow texts, caveats and pre-flight findings: code spans and safe links, every
/// other character escaped. The hostile strings are parsed back as HTML to show they produce no element but the
/// renderer's own <c>code</c> and <c>a</c>, and no attribute but <c>href</c>, <c>target</c>, <c>rel</c>.
/// </summary>
public class InlineMarkdownTests : DashboardTestContext
{
    [Theory]
    [InlineData("run `task cluster:safe-reset` first", "run <code>task cluster:safe-reset</code> first")]
    [InlineData("`talosctl reset …` and `--graceful=false`", "<code>talosctl reset …</code> and <code>--graceful=false</code>")]
    [InlineData("a ``code with ` inside`` span", "a <code>code with ` inside</code> span")]
    [InlineData("`` `ticks` ``", "<code>`ticks`</code>")]
    [InlineData("an unmatched ` stays", "an unmatched ` stays")]
    [InlineData("``` never closed `", "``` never closed `")]
    [InlineData("empty `` is text", "empty `` is text")]
    [InlineData("see [the BGP page](/bgp)", "see <a href=\"/bgp\">the BGP page</a>")]
    [InlineData("[docs](https://docs.cilium.io/en/stable/)", "<a href=\"https://docs.cilium.io/en/stable/\" target=\"_blank\" rel=\"noopener noreferrer\">docs</a>")]
    [InlineData("[with `code`](/x)", "<a href=\"/x\">with <code>code</code></a>")]
    [InlineData("*not* **emphasis** _here_", "*not* **emphasis** _here_")]
    [InlineData("a & b < c > d \"e\" 'f'", "a &amp; b &lt; c &gt; d &quot;e&quot; &#39;f&#39;")]
    [InlineData("", "")]
    public void Renders_code_spans_and_safe_links_and_escapes_the_rest(string text, string html) =>
        Assert.Equal(html, InlineMarkdown.ToHtml(text));

    [Theory]
    [InlineData("[x](javascript:alert(1))")]
    [InlineData("[x](JavaScript:alert(1))")]
    [InlineData("[x](data:text/html,<script>alert(1)</script>)")]
    [InlineData("[x](vbscript:msgbox)")]
    [InlineData("[x](//evil.example/)")]
    [InlineData("[x](/\\evil.example)")]
    [InlineData("[x](https://a\" onmouseover=\"alert(1))")]
    [InlineData("[x]( https://spaced.example)")]
    [InlineData("[x](file:///etc/passwd)")]
    [InlineData("[x](java\tscript:alert(1))")]
    public void A_link_to_anything_but_http_or_a_local_path_stays_text(string text)
    {
        var html = InlineMarkdown.ToHtml(text);
        Assert.DoesNotContain("<a ", html);
        Assert.DoesNotContain("<a>", html);
        AssertOnlyOwnMarkup(html);
    }

    [Theory]
    [InlineData("<script>alert(1)</script>")]
    [InlineData("`<script>alert(1)</script>`")]
    [InlineData("<img src=x onerror=alert(1)>")]
    [InlineData("`</code><img src=x onerror=alert(1)>`")]
    [InlineData("[<img src=x onerror=alert(1)>](/bgp)")]
    [InlineData("[`<b>bold</b>`](https://x.example/?a=1&b=\"2\")")]
    [InlineData("[a](https://x.example/\"><script>alert(1)</script>)")]
    [InlineData("&lt;already escaped&gt; <!-- comment --> <![CDATA[x]]>")]
    [InlineData("\u202Ertl override `code` [x](/y\u0007z)")]
    public void Hostile_strings_stay_escaped(string text)
    {
        var html = InlineMarkdown.ToHtml(text);
        AssertOnlyOwnMarkup(html);
        // What the reader sees is the original text, minus the Markdown punctuation the renderer consumed.
        var shown = Parse(html).TextContent;
        foreach (var part in text.Split('`', '[', ']', '(', ')').Where(p => p.Length > 0 && !p.StartsWith("http") && !p.StartsWith('/')))
            Assert.Contains(part, shown);
    }

    [Fact]
    public void A_caveat_list_renders_inline_code_and_keeps_a_hostile_caveat_as_text()
    {
        var cut = Render<CaveatList>(p => p.Add(c => c.Caveats, ["run `talosctl reset`", "<img src=x onerror=alert(1)>"]).Add(c => c.Expanded, true));

        var items = cut.FindAll("li");
        Assert.Equal("talosctl reset", items[0].QuerySelector("code")!.TextContent);
        Assert.Empty(cut.FindAll("img"));
        Assert.Equal("<img src=x onerror=alert(1)>", items[1].TextContent);
    }

    private static AngleSharp.Dom.IElement Parse(string html) => new HtmlParser().ParseDocument("<body>" + html + "</body>").Body!;

    private static void AssertOnlyOwnMarkup(string html)
    {
        var elements = Parse(html).QuerySelectorAll("*").ToList();
        Assert.All(elements, e => Assert.Contains(e.LocalName, new[] { "code", "a" }));
        Assert.All(elements.SelectMany(e => e.Attributes), a => Assert.Contains(a.Name, new[] { "href", "target", "rel" }));
        Assert.All(elements.Where(e => e.LocalName == "a"), a => Assert.True(InlineMarkdown.IsSafeUrl(a.GetAttribute("href")!), a.GetAttribute("href")));
    }
}
