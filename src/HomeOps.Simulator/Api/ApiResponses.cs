using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using HomeOps.Simulator.Store;
using Microsoft.AspNetCore.Http;

namespace HomeOps.Simulator.Api;

/// <summary>Writes JSON bodies and Kubernetes <c>Status</c> objects the way the API server shapes them.</summary>
internal static class ApiResponses
{
    public const string JsonContentType = "application/json";

    public static async Task WriteJsonAsync(HttpContext context, JsonNode body, HttpStatusCode code = HttpStatusCode.OK)
    {
        context.Response.StatusCode = (int)code;
        context.Response.ContentType = JsonContentType;
        await context.Response.Body.WriteAsync(Encoding.UTF8.GetBytes(body.ToJsonString()), context.RequestAborted);
    }

    public static Task WriteStatusAsync(HttpContext context, ApiException error) =>
        WriteJsonAsync(context, Status(error), error.Code);

    public static Task WriteStatusAsync(HttpContext context, HttpStatusCode code, string reason, string message) =>
        WriteStatusAsync(context, new ApiException(code, reason, message));

    public static JsonObject Status(ApiException error)
    {
        var status = new JsonObject
        {
            ["kind"] = "Status",
            ["apiVersion"] = "v1",
            ["metadata"] = error.Continue is { } token ? new JsonObject { ["continue"] = token } : new JsonObject(),
            ["status"] = "Failure",
            ["message"] = error.Message,
            ["reason"] = error.Reason,
        };
        if (error.Details is { } d)
        {
            status["details"] = new JsonObject { ["name"] = d.Name, ["group"] = d.Group, ["kind"] = d.Kind };
        }
        status["code"] = (int)error.Code;
        return status;
    }
}
