using System.Diagnostics;

namespace PartnerGuard.Testing;

/// <summary>
/// Debian's headless chromium as a separate process, for the tests that render a page (the HTML reports, the form
/// script harness). Missing chromium fails the test with the install line instead of skipping it: CI installs it
/// (`apt-get install -y chromium`), and <see cref="EnvironmentVariable"/> may name another binary.
/// </summary>
public static class Chromium
{
    public const string EnvironmentVariable = "PARTNERGUARD_CHROMIUM";

    /// <summary>The browser's path; throws with the install line when there is none.</summary>
    public static string Locate()
    {
        if (Environment.GetEnvironmentVariable(EnvironmentVariable) is { Length: > 0 } configured)
        {
            return File.Exists(configured)
                ? configured
                : throw new InvalidOperationException($"{EnvironmentVariable} names '{configured}', which does not exist.");
        }

        var path = Environment.GetEnvironmentVariable("PATH") ?? string.Empty;
        foreach (var name in new[] { "chromium", "chromium-browser", "google-chrome" })
        {
            foreach (var folder in path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
            {
                var candidate = Path.Combine(folder, name);
                if (File.Exists(candidate))
                {
                    return candidate;
                }
            }
        }

        throw new InvalidOperationException(
            "This test needs a real headless browser and none was found: install Debian's chromium "
            + "(`apt-get update && apt-get install -y chromium`) or set " + EnvironmentVariable + " to the browser's path.");
    }

    /// <summary>
    /// Loads the page in a fresh profile with networking features off and returns its DOM after rendering. With
    /// <paramref name="untilNetworkIdle"/>, the DOM is taken once the page is idle: the virtual time budget is not a
    /// wait, as virtual time only runs while no network request is open, so the dump comes after the last HTTP answer.
    /// </summary>
    public static async Task<string> DumpDomAsync(Uri page, string scratchFolder, bool untilNetworkIdle = false) =>
        await RunAsync(page, scratchFolder, untilNetworkIdle, ["--dump-dom"]);

    /// <summary>
    /// Renders the page once it is idle (as <see cref="DumpDomAsync"/> with untilNetworkIdle) into a PNG of the given
    /// window size, for documentation; no test reads the picture.
    /// </summary>
    public static async Task ScreenshotAsync(Uri page, string scratchFolder, string pngPath, int width, int height)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(pngPath))!);
        await RunAsync(page, scratchFolder, untilNetworkIdle: true, ["--hide-scrollbars", $"--window-size={width},{height}", "--screenshot=" + Path.GetFullPath(pngPath)]);
        if (!File.Exists(pngPath))
        {
            throw new InvalidOperationException($"chromium wrote no screenshot of {page} to {pngPath}.");
        }
    }

    private static async Task<string> RunAsync(Uri page, string scratchFolder, bool untilNetworkIdle, string[] action)
    {
        var profile = Path.Combine(scratchFolder, "chromium-profile-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(profile);
        var start = new ProcessStartInfo(Locate())
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        var args = new List<string>
        {
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--user-data-dir=" + profile,
        };
        if (untilNetworkIdle)
        {
            args.Add("--virtual-time-budget=60000");
        }

        args.AddRange(action);
        args.Add(page.AbsoluteUri);
        args.ForEach(start.ArgumentList.Add);

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        // A guard against a hung browser, not a speed assertion.
        using var guard = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        try
        {
            await process.WaitForExitAsync(guard.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException("chromium did not finish " + page + " within two minutes.");
        }

        var dom = await output;
        return process.ExitCode == 0 ? dom : throw new InvalidOperationException($"chromium exited with {process.ExitCode}: {await error}");
    }
}
