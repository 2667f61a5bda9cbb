using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using PartnerGuard.Emulator.WebApi;

namespace PartnerGuard.Integration.Cli;

/// <summary>
/// The "bad day" options of `emulator serve`: latency, injected 503s and 504s, and compressed service protection, each
/// checked on the command line (exit 1 naming the option) and bound once into the emulator's
/// <see cref="DataverseWebApiOptions"/>. Name tokens are always resolved, so `AuthType=Emulator;…;User=NAME` works.
/// </summary>
internal sealed class ServeFaultOptions
{
    private const int MaxMilliseconds = 600_000;

    private readonly Option<int> _latency = Range(new Option<int>("--latency-ms")
    {
        Description = "Delay added to every request before it runs, in milliseconds (0 to 600000).",
        DefaultValueFactory = _ => 0,
        HelpName = "ms",
    }, 0, MaxMilliseconds);

    private readonly Option<double> _failureRate = Rate(new Option<double>("--failure-rate")
    {
        Description = "Share of requests (0 to 1, e.g. 0.1) answered 503 Service Unavailable without running.",
        DefaultValueFactory = _ => 0,
        HelpName = "share",
    });

    private readonly Option<double> _timeoutRate = Rate(new Option<double>("--timeout-rate")
    {
        Description = "Share of requests (0 to 1) that hang for --timeout-ms and are answered 504 without running.",
        DefaultValueFactory = _ => 0,
        HelpName = "share",
    });

    private readonly Option<int> _timeout = Range(new Option<int>("--timeout-ms")
    {
        Description = "How long a request picked by --timeout-rate hangs before its 504, in milliseconds (1 to 600000).",
        DefaultValueFactory = _ => 120_000,
        HelpName = "ms",
    }, 1, MaxMilliseconds);

    private readonly Option<int> _seed = Range(new Option<int>("--fault-seed")
    {
        Description = "Seed of the fault draws: the same seed and request order give the same faults.",
        DefaultValueFactory = _ => 0,
        HelpName = "n",
    }, int.MinValue, int.MaxValue);

    private readonly Option<double> _compress = Compression(new Option<double>("--compress-service-protection")
    {
        Description = "Divide the service-protection window (5 minutes) and execution-time budget (20 minutes) by this factor (1 to 3600), e.g. 60 gives a 5-second window.",
        DefaultValueFactory = _ => 1,
        HelpName = "factor",
    });

    private readonly Option<int> _requestLimit = Range(new Option<int>("--request-limit")
    {
        Description = "Requests per user and service-protection window (1 to 1000000; Dataverse's limit is 6000).",
        DefaultValueFactory = _ => 6000,
        HelpName = "n",
    }, 1, 1_000_000);

    private readonly Option<bool> _noServiceProtection = new("--no-service-protection")
    {
        Description = "Turn the service-protection limits off.",
    };

    public void AddTo(Command command)
    {
        command.Options.Add(_latency);
        command.Options.Add(_failureRate);
        command.Options.Add(_timeoutRate);
        command.Options.Add(_timeout);
        command.Options.Add(_seed);
        command.Options.Add(_compress);
        command.Options.Add(_requestLimit);
        command.Options.Add(_noServiceProtection);
        command.Validators.Add(result =>
        {
            // Each rate is checked on its own; together they share one draw per request.
            if (Value<double>(result, _failureRate) is { } failure && Value<double>(result, _timeoutRate) is { } timeout
                && double.IsFinite(failure) && double.IsFinite(timeout) && failure + timeout > 1)
            {
                result.AddError($"--failure-rate and --timeout-rate add up to more than 1 ({failure.ToString(CultureInfo.InvariantCulture)} + {timeout.ToString(CultureInfo.InvariantCulture)}).");
            }

            if (result.GetResult(_noServiceProtection) is { Implicit: false }
                && (result.GetResult(_compress) is { Implicit: false } || result.GetResult(_requestLimit) is { Implicit: false }))
            {
                result.AddError("--no-service-protection cannot be combined with --compress-service-protection or --request-limit.");
            }
        });
    }

    public DataverseWebApiOptions Bind(ParseResult parse)
    {
        var protection = new ServiceProtectionOptions { Enabled = !parse.GetValue(_noServiceProtection) }
            .Compressed(parse.GetValue(_compress), parse.GetValue(_requestLimit));
        return new DataverseWebApiOptions
        {
            ResolveTokensAsUserNames = true,
            ServiceProtection = protection,
            Faults = new FaultInjectionOptions
            {
                Seed = parse.GetValue(_seed),
                Latency = TimeSpan.FromMilliseconds(parse.GetValue(_latency)),
                TransientFailureRate = parse.GetValue(_failureRate),
                TimeoutRate = parse.GetValue(_timeoutRate),
                TimeoutDelay = TimeSpan.FromMilliseconds(parse.GetValue(_timeout)),
            },
        };
    }

    /// <summary>One line saying what the server will do to its clients.</summary>
    public static string Describe(DataverseWebApiOptions options)
    {
        var faults = options.Faults;
        var parts = new List<string>();
        if (faults.Latency > TimeSpan.Zero)
        {
            parts.Add($"{faults.Latency.TotalMilliseconds.ToString(CultureInfo.InvariantCulture)} ms latency per request");
        }

        if (faults.TransientFailureRate > 0)
        {
            parts.Add($"{Percent(faults.TransientFailureRate)} of requests answered 503");
        }

        if (faults.TimeoutRate > 0)
        {
            parts.Add($"{Percent(faults.TimeoutRate)} of requests answered 504 after {faults.TimeoutDelay.TotalMilliseconds.ToString(CultureInfo.InvariantCulture)} ms");
        }

        var faultText = parts.Count == 0 ? "no injected faults" : string.Join(", ", parts) + $" (fault seed {faults.Seed.ToString(CultureInfo.InvariantCulture)})";
        var limits = options.ServiceProtection;
        var protection = limits.Enabled
            ? $"service protection: {limits.RequestLimit.ToString(CultureInfo.InvariantCulture)} requests and {limits.ExecutionTimeLimit.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture)} s of execution time per user per {limits.Window.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture)} s window, {limits.ConcurrencyLimit.ToString(CultureInfo.InvariantCulture)} concurrent requests"
            : "service protection off";
        return $"Bad day: {faultText}; {protection}.";
    }

    private static string Percent(double share) => (share * 100).ToString("0.##", CultureInfo.InvariantCulture) + " %";

    private static Option<int> Range(Option<int> option, int min, int max)
    {
        option.Validators.Add(result =>
        {
            if (!TryGetValue(result, out int value) || value < min || value > max)
            {
                result.AddError($"{option.Name} must be a whole number from {min.ToString(CultureInfo.InvariantCulture)} to {max.ToString(CultureInfo.InvariantCulture)}; got '{Given(result)}'.");
            }
        });
        return option;
    }

    private static Option<double> Rate(Option<double> option)
    {
        option.Validators.Add(result =>
        {
            if (!TryGetValue(result, out double value) || !double.IsFinite(value) || value < 0 || value > 1)
            {
                result.AddError($"{option.Name} must be a share from 0 to 1 such as 0.1; got '{Given(result)}'.");
            }
        });
        return option;
    }

    private static Option<double> Compression(Option<double> option)
    {
        option.Validators.Add(result =>
        {
            if (!TryGetValue(result, out double value) || !double.IsFinite(value) || value < 1 || value > 3600)
            {
                result.AddError($"{option.Name} must be a number from 1 to 3600 such as 60; got '{Given(result)}'.");
            }
        });
        return option;
    }

    private static T? Value<T>(CommandResult result, Option<T> option)
        where T : struct =>
        result.GetResult(option) is { } found && TryGetValue(found, out T value) ? value : null;

    /// <summary>The option's value, or false when its text is not a number of that type (reading it would throw).</summary>
    private static bool TryGetValue<T>(OptionResult result, out T value)
    {
        try
        {
            value = result.GetValueOrDefault<T>()!;
            return true;
        }
        catch (InvalidOperationException)
        {
            value = default!;
            return false;
        }
    }

    private static string Given(OptionResult result) => string.Join(" ", result.Tokens.Select(t => t.Value));
}
