namespace PartnerGuard.Packer.BestPractices;

/// <summary>
/// A rule of Microsoft's published plug-in and web-resource guidance that the packer checks offline. <see cref="Id"/> is
/// the solution checker's rule id; <see cref="Title"/> the guidance's title on Microsoft Learn ("Best practices and guidance
/// for plug-in and workflow development", "Solution checker rules" / "Best practices for client scripting").
/// </summary>
public sealed record BestPracticeRule(string Id, string Title)
{
    public override string ToString() => $"{Id} ({Title})";

    // Registrations (SdkMessageProcessingSteps/*.xml).
    public static readonly BestPracticeRule FilteringAttributes = new("meta-avoid-reg-no-attribute", "Include filtering attributes with plug-in registration");
    public static readonly BestPracticeRule DuplicateRegistration = new("meta-remove-dup-reg", "Remove duplicate plug-in registrations");

    // Plug-in code (C# source of the plug-in assembly).
    public static readonly BestPracticeRule NoBatchRequests = new("il-avoid-batch-plugin", "Don't use batch request types in plug-ins and workflow activities");
    public static readonly BestPracticeRule NoParallelExecution = new("il-avoid-parallel-plugin", "Don't use parallel execution within plug-ins and workflow activities");
    public static readonly BestPracticeRule NoLocks = new("il-avoid-lock-plugin", "Avoid usage of lock in plug-ins");
    public static readonly BestPracticeRule Stateless = new("il-avoid-stateful-plugin", "Develop IPlugin implementations as stateless");
    public static readonly BestPracticeRule SpecifyColumns = new("il-specify-column", "Avoid selecting all columns via Dataverse query APIs");
    public static readonly BestPracticeRule InvalidPluginExecutionException = new("il-use-invalidpluginexecutionexception", "Use InvalidPluginExecutionException in plug-ins and workflow activities");

    // Web resources (JavaScript).
    public static readonly BestPracticeRule Async = new("web-use-async", "Interact with HTTP and HTTPS resources asynchronously");
    public static readonly BestPracticeRule StrictMode = new("web-use-strict-mode", "Use strict mode when possible");
    public static readonly BestPracticeRule ClientContext = new("web-use-client-context", "Use client context (executionContext) instead of Xrm.Page");
    public static readonly BestPracticeRule Crm2011OData = new("web-avoid-crm2011-service-odata", "Don't target the Dynamics CRM 2011 OData endpoint");
    public static readonly BestPracticeRule Crm2011Soap = new("web-avoid-crm2011-service-soap", "Don't target the Dynamics CRM 2011 SOAP services");
    public static readonly BestPracticeRule NoDomAccess = new("web-avoid-dom-form", "Don't use the form's DOM");
}
