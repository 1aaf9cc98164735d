using HomeOps.Dashboard.Auth;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Components.Authorization;

namespace HomeOps.Dashboard.Components.Controls.Operations;

/// <summary>
/// Whether to show operator controls: the Operator policy on the cascaded user. Presentation only: every action checks
/// the role again on the server. False where no authentication state is cascaded (a test, a prerender) or no
/// authorization service is registered.
/// </summary>
public static class OperatorRole
{
    public static async Task<bool> IsOperatorAsync(Task<AuthenticationState>? authenticationState, IServiceProvider services)
    {
        if (authenticationState is null || services.GetService(typeof(IAuthorizationService)) is not IAuthorizationService authorization)
            return false;
        var user = (await authenticationState).User;
        return (await authorization.AuthorizeAsync(user, null, Policies.Operator)).Succeeded;
    }
}
