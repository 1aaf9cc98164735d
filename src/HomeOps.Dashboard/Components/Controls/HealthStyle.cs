using HomeOps.Cluster.Model;
using MudBlazor;

namespace HomeOps.Dashboard.Components.Controls;

/// <summary>Health is shown as colour + icon + text, never colour alone (colour-blind operators, 2 a.m. eyes).</summary>
public static class HealthStyle
{
    public static Color ColorOf(HealthStatus health) => health switch
    {
        HealthStatus.Healthy => Color.Success,
        HealthStatus.Progressing => Color.Info,
        HealthStatus.Degraded => Color.Warning,
        HealthStatus.Failed => Color.Error,
        HealthStatus.Suspended => Color.Secondary,
        _ => Color.Default,
    };

    public static string IconOf(HealthStatus health) => health switch
    {
        HealthStatus.Healthy => Icons.Material.Filled.CheckCircle,
        HealthStatus.Progressing => Icons.Material.Filled.Sync,
        HealthStatus.Degraded => Icons.Material.Filled.Warning,
        HealthStatus.Failed => Icons.Material.Filled.Error,
        HealthStatus.Suspended => Icons.Material.Filled.PauseCircle,
        _ => Icons.Material.Filled.Help,
    };

    /// <summary>MudChip's own classes (text variant) for a badge drawn as plain markup; cached, since every row asks.</summary>
    public static string BadgeClass(HealthStatus health, Size size) =>
        BadgeClasses.GetOrAdd((health, size), static k =>
            $"mud-chip mud-chip-text mud-chip-color-{ColorOf(k.Item1).ToString().ToLowerInvariant()} " +
            $"mud-chip-size-{k.Item2.ToString().ToLowerInvariant()} health-badge ma-0");

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<(HealthStatus, Size), string> BadgeClasses = new();

    /// <summary>A colour as MudBlazor's class names spell it ("warning"); cached, since chips and bars ask on every render.</summary>
    public static string ColorName(Color color) => ColorNames.GetOrAdd(color, static c => c.ToString().ToLowerInvariant());

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<Color, string> ColorNames = new();

    public static Color ColorOf(FeedState state) => state switch
    {
        FeedState.Live => Color.Success,
        FeedState.Connecting => Color.Info,
        FeedState.Reconnecting => Color.Warning,
        FeedState.NotInstalled => Color.Default,
        _ => Color.Error,
    };

    public static string IconOf(FeedState state) => state switch
    {
        FeedState.Live => Icons.Material.Filled.Sensors,
        FeedState.Connecting => Icons.Material.Filled.HourglassTop,
        FeedState.Reconnecting => Icons.Material.Filled.SyncProblem,
        FeedState.NotInstalled => Icons.Material.Filled.Block,
        _ => Icons.Material.Filled.CloudOff,
    };

    /// <summary>Usage bars turn amber at 75 % and red at 90 % (Longhorn's own defaults are in the same range).</summary>
    public static Color UsageColor(double fraction) =>
        fraction >= 0.9 ? Color.Error : fraction >= 0.75 ? Color.Warning : Color.Success;
}
