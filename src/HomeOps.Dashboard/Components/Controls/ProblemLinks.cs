using HomeOps.Cluster.Reports;

namespace HomeOps.Dashboard.Components.Controls;

/// <summary>
/// The one place a problem's deep link is made: its area's page, with the object opened in the detail drawer
/// (<c>?kind=&lt;kind key&gt;&amp;object=&lt;store key&gt;</c>, read by <see cref="StoreBoundComponent.LinkedSelection"/>).
/// The overview's problem list, the offline view and the notifications use it.
/// </summary>
public static class ProblemLinks
{
    public const string KindParameter = "kind";
    public const string ObjectParameter = "object";

    public static string PageOf(string area) => area switch
    {
        ProblemReport.LoadBalancersArea => "/loadbalancers",
        _ => "/" + area.ToLowerInvariant(),
    };

    public static string For(Problem p) =>
        p.KindKey.Length == 0 || p.Key.Length == 0
            ? PageOf(p.Area)
            : $"{PageOf(p.Area)}?{KindParameter}={Uri.EscapeDataString(p.KindKey)}&{ObjectParameter}={Uri.EscapeDataString(p.Key)}";
}
