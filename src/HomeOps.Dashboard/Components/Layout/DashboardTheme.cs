using MudBlazor;

namespace HomeOps.Dashboard.Components.Layout;

/// <summary>
/// Dark by default (2 a.m.), with system fonts only: the dashboard must work offline, so no Google Fonts.
/// Status colours are chosen to stay distinguishable on a dark surface.
/// </summary>
public static class DashboardTheme
{
    private static readonly string[] SystemFonts =
        ["system-ui", "-apple-system", "Segoe UI", "Roboto", "Helvetica Neue", "Arial", "sans-serif"];

    public static readonly MudTheme Theme = new()
    {
        PaletteLight = new PaletteLight
        {
            Primary = "#1565c0",
            AppbarBackground = "#1e2a38",
        },
        PaletteDark = new PaletteDark
        {
            Primary = "#64b5f6",
            Secondary = "#b39ddb",
            Success = "#66bb6a",
            Warning = "#ffb74d",
            Error = "#ef5350",
            Info = "#4fc3f7",
            Background = "#101418",
            Surface = "#181d23",
            DrawerBackground = "#14191e",
            AppbarBackground = "#14191e",
            TextPrimary = "rgba(255,255,255,0.90)",
            TextSecondary = "rgba(255,255,255,0.65)",
        },
        Typography = new Typography
        {
            Default = new DefaultTypography { FontFamily = SystemFonts },
        },
    };
}
