using System.Diagnostics;

namespace PartnerGuard.FormScript.Tests;

/// <summary>
/// Debian's headless chromium as a separate process, as the report tests run it (Integration.Tests/Transparency):
/// missing chromium fails the test with the install line instead of skipping it; CI installs it.
/// </summary>
internal static class Chromium
{
    public const string EnvironmentVariable = "PARTNERGUARD_CHROMIUM";

    public static string Locate()
    {
        if (Environment.GetEnvironmentVariable(EnvironmentVariable) is { Length: > 0 } configured)
        {
            Assert.True(File.Exists(configured), $"{EnvironmentVariable} names '{configured}', which does not exist.");
            return configured;
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

        Assert.Fail(
            "The form script tests need a real headless browser and none was found: install Debian's chromium "
            + "(`apt-get update && apt-get install -y chromium`) or set " + EnvironmentVariable + " to the browser's path.");
        return string.Empty;
    }

    /// <summary>
    /// Loads the page and returns its DOM once the page is idle. The virtual time budget is not a wait: virtual time
    /// only runs while no network request is open, so the dump comes after the page's last HTTP answer.
    /// </summary>
    public static async Task<string> DumpDomAsync(Uri page, string scratchFolder)
    {
        var profile = Path.Combine(scratchFolder, "chromium-profile-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(profile);
        var start = new ProcessStartInfo(Locate())
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[]
        {
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--user-data-dir=" + profile, "--virtual-time-budget=60000",
            "--dump-dom", page.AbsoluteUri,
        })
        {
            start.ArgumentList.Add(arg);
        }

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
            Assert.Fail("chromium did not finish the form script page within two minutes.");
        }

        var dom = await output;
        Assert.True(process.ExitCode == 0, $"chromium exited with {process.ExitCode}: {await error}");
        return dom;
    }
}
