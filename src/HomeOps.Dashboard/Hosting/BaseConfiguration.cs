using Microsoft.Extensions.Configuration.Json;
using Microsoft.Extensions.FileProviders;

namespace HomeOps.Dashboard.Hosting;

public static class BaseConfiguration
{
    public const string FileName = "appsettings.json";

    /// <summary>
    /// The repository's top-level appsettings.json is linked next to the binaries. `dotnet run --project` makes the
    /// project folder the content root, where there is no appsettings.json, so the base file would be skipped:
    /// insert it as the lowest-priority source. Environment variables and the command line still override it.
    /// </summary>
    public static WebApplicationBuilder AddBaseAppSettings(this WebApplicationBuilder builder)
    {
        var inContentRoot = Path.Combine(builder.Environment.ContentRootPath, FileName);
        var besideBinaries = Path.Combine(AppContext.BaseDirectory, FileName);
        if (File.Exists(inContentRoot) || !File.Exists(besideBinaries)) return builder;
        builder.Configuration.Sources.Insert(0, new JsonConfigurationSource
        {
            FileProvider = new PhysicalFileProvider(AppContext.BaseDirectory),
            Path = FileName,
            Optional = true,
            ReloadOnChange = false,
        });
        return builder;
    }
}
