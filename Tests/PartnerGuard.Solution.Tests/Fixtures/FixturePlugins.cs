using Microsoft.Xrm.Sdk;

namespace PartnerGuard.Solution.Tests.Fixtures;

// Stand-ins for the product plugins with the same simple names, so that a copy of solution/src can be packed
// against this (strong-named) test assembly. They are never executed.

public sealed class RequirePartnerOnOpportunity : IPlugin
{
    public void Execute(IServiceProvider serviceProvider) => throw new NotSupportedException("Packer fixture only.");
}

public sealed class ValidateDirectSalesRule : FixturePluginBase
{
}

public sealed class CheckChannel : FixturePluginBase
{
}

/// <summary>IPlugin through a base class: the packer must follow the base type.</summary>
public abstract class FixturePluginBase : IPlugin
{
    public void Execute(IServiceProvider serviceProvider) => throw new NotSupportedException("Packer fixture only.");
}

/// <summary>A public class that is not a plugin.</summary>
public sealed class NotAPlugin
{
}

/// <summary>A custom workflow activity: the packer must accept it in the plug-in assembly (it derives from CodeActivity).</summary>
public sealed class StampChannelActivity : System.Activities.CodeActivity
{
}
