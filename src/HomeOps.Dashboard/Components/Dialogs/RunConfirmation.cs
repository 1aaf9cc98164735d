namespace HomeOps.Dashboard.Components.Dialogs;

/// <summary>What the confirmation dialog returns: the typed confirmation and the reason.</summary>
public sealed record RunConfirmation(string? Confirmation, string? Reason);
