using System.Globalization;
using HomeOps.Simulator.Api;
using HomeOps.Simulator.Store;
using Microsoft.AspNetCore.Http;

namespace HomeOps.Simulator.Faults;

/// <summary>Writes a <see cref="RequestFault"/> as kube-apiserver would: a Status body with the code, and <c>Retry-After</c> when the fault has one.</summary>
internal static class ScheduledResponses
{
    public static Task WriteAsync(HttpContext context, RequestFault fault)
    {
        if (fault.RetryAfter is { } after)
        {
            context.Response.Headers.RetryAfter = ((int)Math.Ceiling(after.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
        }
        var error = fault.Type switch
        {
            FaultType.Gone410 => new ApiException(fault.Status, "Expired", "too old resource version (injected fault)"),
            FaultType.TooManyRequests429 => new ApiException(fault.Status, "TooManyRequests", "too many requests, please try again later (injected fault)"),
            _ => new ApiException(fault.Status, "InternalError", "Internal error occurred: etcdserver: request timed out (injected fault)"),
        };
        return ApiResponses.WriteStatusAsync(context, error);
    }
}
