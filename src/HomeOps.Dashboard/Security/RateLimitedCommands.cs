using System.Reflection;
using System.Runtime.ExceptionServices;
using System.Security.Claims;

namespace HomeOps.Dashboard.Security;

/// <summary>
/// A service as the Blazor circuit sees it: its commands draw from the signed-in user's <see cref="ActionBudget"/>
/// first, like the action endpoints and operator hub methods, and a refused command answers a refusal result (the
/// pages already show those) instead of calling through. Which methods are commands is read from their type — every
/// method answering <c>Task&lt;TResult&gt;</c> (the engine's <c>RunCommandResult</c>, the Flux actions'
/// <c>FluxActionResult</c>) — so a command added to the interface later is limited without touching this class;
/// everything else (reads, previews) passes straight through.
/// </summary>
public static class RateLimitedCommands
{
    /// <param name="user">The circuit's user at the time of the call (its authentication state can change).</param>
    /// <param name="refused">The command's answer for a refusal, from the message to show.</param>
    public static T Wrap<T, TResult>(T inner, ActionBudget budget, Func<Task<ClaimsPrincipal>> user, Func<string, TResult> refused)
        where T : class
    {
        var proxy = DispatchProxy.Create<T, RateLimitedCommandsProxy<T, TResult>>();
        ((RateLimitedCommandsProxy<T, TResult>)(object)proxy).Init(inner, budget, user, refused);
        return proxy;
    }
}

/// <summary>The <see cref="DispatchProxy"/> behind <see cref="RateLimitedCommands.Wrap{T,TResult}"/> (public and unsealed, as DispatchProxy requires).</summary>
public class RateLimitedCommandsProxy<T, TResult> : DispatchProxy where T : class
{
    private T _inner = default!;
    private ActionBudget _budget = default!;
    private Func<Task<ClaimsPrincipal>> _user = default!;
    private Func<string, TResult> _refused = default!;

    internal void Init(T inner, ActionBudget budget, Func<Task<ClaimsPrincipal>> user, Func<string, TResult> refused)
    {
        _inner = inner;
        _budget = budget;
        _user = user;
        _refused = refused;
    }

    protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
    {
        ArgumentNullException.ThrowIfNull(targetMethod);
        return targetMethod.ReturnType == typeof(Task<TResult>) ? CommandAsync(targetMethod, args) : Forward(targetMethod, args);
    }

    private async Task<TResult> CommandAsync(MethodInfo method, object?[]? args)
    {
        var ct = args?.OfType<CancellationToken>().FirstOrDefault() ?? default;
        var refusal = await _budget.TryTakeAsync(await _user(), $"ui {typeof(T).Name}.{method.Name}", ct);
        if (refusal is not null) return _refused(refusal);
        return await (Task<TResult>)Forward(method, args)!;
    }

    private object? Forward(MethodInfo method, object?[]? args)
    {
        try
        {
            return method.Invoke(_inner, args);
        }
        catch (TargetInvocationException e) when (e.InnerException is not null)
        {
            // The caller sees the inner service's own exception, as without the proxy.
            ExceptionDispatchInfo.Throw(e.InnerException);
            throw;
        }
    }
}
