using Microsoft.Playwright;

namespace HomeOps.EndToEnd;

/// <summary>The typing element of a MudBlazor field by its data-testid: MudTextField puts the id on a wrapper or the input itself.</summary>
public static class MudFields
{
    public static ILocator Input(IPage page, string testId) =>
        page.Locator($"[data-testid={testId}] input, [data-testid={testId}] textarea, input[data-testid={testId}], textarea[data-testid={testId}]").First;
}
