using System.Reflection;
using System.Security.Claims;
using HomeOps.Dashboard.Security;
using HomeOps.Operations.Engine;
using HomeOps.Operations.Flux;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace HomeOps.Dashboard.Tests.Operations;

/// <summary>
/// The circuit's rate-limited engine and Flux actions are explicit decorators: every command is listed by hand. This
/// table keeps them honest — with the user's budget spent, every method of the interface that answers a command
/// result is refused without reaching the inner service (which here is absent: any call through would throw).
/// </summary>
public sealed class RateLimitedDecoratorTests
{
    private static CancellationToken Ct => Xunit.TestContext.Current.CancellationToken;

    private static async Task<CircuitActionBudget> SpentBudgetAsync()
    {
        var services = new ServiceCollection()
            .AddSingleton<ILoggerFactory>(NullLoggerFactory.Instance)
            .AddSingleton(typeof(ILogger<>), typeof(NullLogger<>))
            .AddActionBudget(new RateLimitOptions { Actions = new WindowLimit { PermitLimit = 1, WindowSeconds = 600 } })
            .BuildServiceProvider();
        var budget = services.GetRequiredService<ActionBudget>();
        var user = new ClaimsPrincipal(new ClaimsIdentity([new Claim("preferred_username", "admin")], "test"));
        Assert.Null(await budget.TryTakeAsync(user, "spend the only permit", Ct));
        return new CircuitActionBudget(budget, () => Task.FromResult(user));
    }

    public static TheoryData<string> EngineCommands() =>
        [.. typeof(IOperationsEngine).GetMethods().Where(m => m.ReturnType == typeof(Task<RunCommandResult>)).Select(m => m.Name)];

    public static TheoryData<string> FluxCommands() =>
        [.. typeof(IFluxActions).GetMethods().Where(m => m.ReturnType == typeof(Task<FluxActionResult>)).Select(m => m.Name)];

    [Theory]
    [MemberData(nameof(EngineCommands))]
    public async Task Every_engine_command_is_refused_when_the_budget_is_spent(string command)
    {
        IOperationsEngine engine = new RateLimitedOperationsEngine(null!, await SpentBudgetAsync());

        var result = await Call<RunCommandResult>(engine, typeof(IOperationsEngine).GetMethod(command)!);

        Assert.False(result.Accepted);
        Assert.Contains("Too many actions", Assert.Single(result.Problems));
    }

    [Theory]
    [MemberData(nameof(FluxCommands))]
    public async Task Every_Flux_action_is_refused_when_the_budget_is_spent(string action)
    {
        IFluxActions flux = new RateLimitedFluxActions(null!, await SpentBudgetAsync());

        var result = await Call<FluxActionResult>(flux, typeof(IFluxActions).GetMethod(action)!);

        Assert.False(result.Accepted);
        Assert.Contains("Too many actions", result.Message);
    }

    private static Task<T> Call<T>(object target, MethodInfo method) =>
        (Task<T>)method.Invoke(target, [.. method.GetParameters().Select(p => p.ParameterType == typeof(CancellationToken) ? Ct
            : p.ParameterType.IsValueType ? Activator.CreateInstance(p.ParameterType) : null)])!;
}
