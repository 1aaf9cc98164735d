using MudBlazor;

namespace HomeOps.Dashboard.Components.Dialogs;

/// <summary>Opens the typed-confirmation dialog and returns what was typed, or null when cancelled.</summary>
public static class OperationsDialogs
{
    public static async Task<RunConfirmation?> AskAsync(IDialogService dialogs, string title, string? summary, string? expected,
        bool byNodeNames, bool reasonRequired, string confirmText)
    {
        var parameters = new DialogParameters<ConfirmRunDialog>
        {
            { d => d.Title, title },
            { d => d.Summary, summary },
            { d => d.Expected, expected },
            { d => d.ByNodeNames, byNodeNames },
            { d => d.ReasonRequired, reasonRequired },
            { d => d.ConfirmText, confirmText },
        };
        var options = new DialogOptions { MaxWidth = MaxWidth.Small, FullWidth = true, CloseOnEscapeKey = true, BackdropClick = false };
        var reference = await dialogs.ShowAsync<ConfirmRunDialog>(title, parameters, options);
        var result = await reference.Result;
        return result is { Canceled: false, Data: RunConfirmation c } ? c : null;
    }
}
