using System.Text.Json.Nodes;
using HomeOps.Simulator.Store;

namespace HomeOps.Simulator.Tests;

/// <summary>RFC 7386 and RFC 6902 on their own, including the RFC examples.</summary>
public sealed class JsonPatchTests
{
    [Fact]
    public void Merge_patch_follows_the_rfc_7386_example()
    {
        var target = JsonNode.Parse("""{"title":"Goodbye!","author":{"givenName":"John","familyName":"Doe"},"tags":["example","sample"],"content":"This will be unchanged"}""");
        var patch = JsonNode.Parse("""{"title":"Hello!","phoneNumber":"+01-123-456-7890","author":{"familyName":null},"tags":["example"]}""");

        var result = JsonMergePatch.Apply(target, patch);

        var expected = JsonNode.Parse("""{"title":"Hello!","author":{"givenName":"John"},"tags":["example"],"content":"This will be unchanged","phoneNumber":"+01-123-456-7890"}""");
        Assert.True(JsonNode.DeepEquals(expected, result), result!.ToJsonString());
    }

    [Fact]
    public void Strategic_merge_deletes_an_element_by_key_and_skips_directives()
    {
        var node = JsonNode.Parse("""{"spec":{"taints":[{"key":"a","effect":"NoSchedule"},{"key":"b","effect":"NoSchedule"}]}}""");
        var patch = JsonNode.Parse("""{"$setElementOrder/taints":[{"key":"b"}],"spec":{"taints":[{"key":"a","$patch":"delete"}]}}""");

        var result = JsonMergePatch.Apply(node, patch, strategic: true);

        Assert.Equal("""{"spec":{"taints":[{"key":"b","effect":"NoSchedule"}]}}""", result!.ToJsonString());
    }

    [Fact]
    public void Json_patch_supports_move_copy_and_test()
    {
        var doc = JsonNode.Parse("""{"a":{"b":1},"list":[1,2]}""")!;
        var patch = JsonNode.Parse("""[{"op":"test","path":"/a/b","value":1},{"op":"copy","from":"/a","path":"/c"},{"op":"move","from":"/list/0","path":"/list/-"},{"op":"add","path":"/list/0","value":0}]""");

        var result = JsonPatch.Apply(doc, patch);

        Assert.Equal("""{"a":{"b":1},"list":[0,2,1],"c":{"b":1}}""", result.ToJsonString());
        Assert.Throws<ApiException>(() => JsonPatch.Apply(doc, JsonNode.Parse("""[{"op":"test","path":"/a/b","value":2}]""")));
        Assert.Throws<ApiException>(() => JsonPatch.Apply(doc, JsonNode.Parse("""[{"op":"remove","path":"/nope"}]""")));
    }
}
