namespace HomeOps.EndToEnd;

/// <summary>Where tests leave screenshots and logs (CI keeps <c>artifacts/test</c>).</summary>
public static class Artifacts
{
    public static string Directory
    {
        get
        {
            var dir = Environment.GetEnvironmentVariable("HOMEOPS_TEST_ARTIFACTS");
            if (string.IsNullOrWhiteSpace(dir)) dir = Path.Combine(AppContext.BaseDirectory, "artifacts");
            System.IO.Directory.CreateDirectory(dir);
            return dir;
        }
    }

    public static string PathFor(string fileName) => System.IO.Path.Combine(Directory, fileName);
}
