extern alias PluginAssembly;

using System.Xml.Linq;
using Azure.Core;
using Microsoft.Xrm.Sdk;
using Microsoft.Xrm.Sdk.Query;
using PartnerGuard.Emulator;
using PartnerGuard.Emulator.Pipeline;
using PartnerGuard.Emulator.Security;
using PartnerGuard.Emulator.WebApi;
using PartnerGuard.Integration.Cli;
using PartnerGuard.Integration.Dataverse.WebApi;
using PartnerGuard.Integration.Embedded;
using PartnerGuard.Integration.Tests.Support;
using PartnerGuard.Testing;

namespace PartnerGuard.Integration.Tests.Security;

/// <summary>
/// The smallest org the role tests need, with security enforced (the emulator's default): the PartnerGuard solution
/// loaded from solution/src or from a copy whose role XML lacks one privilege (the XML stays the single source), two
/// partners with their teams, four customers (one handled direct by the Enterprise rule, one by a named-account rule), a contact, an open deal
/// without a partner on a customer that will get one, and four users, each holding exactly the roles the README
/// says: the job's application user (Reassignment Job), a seller (Seller + <see cref="BasicSalesPrivileges"/>), an
/// admin (Administrator only) and nobody else. Commands run through the real command tree against the in-process Web
/// API, signed in with a bearer token mapped to the user (<see cref="DataverseWebApiOptions.Tokens"/>).
/// </summary>
internal sealed class RoleOrg : IDisposable
{
    public static readonly DateTimeOffset Now = new(2026, 11, 27, 8, 0, 0, TimeSpan.Zero);

    public static readonly Guid Northwind = new("b1000000-0000-0000-0000-000000000001");
    public static readonly Guid Fabrikam = new("b1000000-0000-0000-0000-000000000002");
    public static readonly Guid NorthwindTeam = new("71000000-0000-0000-0000-000000000001");
    public static readonly Guid FabrikamTeam = new("71000000-0000-0000-0000-000000000002");
    public static readonly Guid Alpha = new("c1000000-0000-0000-0000-000000000001");
    public static readonly Guid Beta = new("c1000000-0000-0000-0000-000000000002");
    public static readonly Guid Gamma = new("c1000000-0000-0000-0000-000000000003");
    public static readonly Guid Delta = new("c1000000-0000-0000-0000-000000000004");
    public static readonly Guid Carla = new("c2000000-0000-0000-0000-000000000001");
    public static readonly Guid AlphaDeal = new("d1000000-0000-0000-0000-000000000001");
    public static readonly Guid EnterpriseRule = new("e1000000-0000-0000-0000-000000000001");
    public static readonly Guid DeltaRule = new("e1000000-0000-0000-0000-000000000002");

    public static readonly Guid JobUser = new("5ec00000-0000-0000-0000-000000000001");
    public static readonly Guid Seller = new("5ec00000-0000-0000-0000-000000000002");
    public static readonly Guid RuleAdmin = new("5ec00000-0000-0000-0000-000000000003");

    private static readonly Func<string, string, Type?> Plugins =
        PluginTypeResolver.FromAssemblies(typeof(PluginAssembly::PartnerGuard.Plugins.RequirePartnerOnOpportunity).Assembly);

    private readonly DataverseWebApiServer _server;
    private int _runs;

    private RoleOrg(DataverseOrg org)
    {
        Org = org;
        _server = new DataverseWebApiServer(org, new DataverseWebApiOptions
        {
            Tokens = new Dictionary<string, Guid>(StringComparer.Ordinal) { ["job"] = JobUser, ["seller"] = Seller, ["admin"] = RuleAdmin, ["system"] = org.AdministratorId },
            RequireKnownToken = true,
        });
    }

    public DataverseOrg Org { get; }

    /// <summary>The folder every command of this org runs in (plans, journals, reports); a fresh one per org.</summary>
    public TempDirectory Folder { get; } = new();

    /// <summary>The org with the committed roles.</summary>
    public static RoleOrg Create() => Build(RepoPaths.SolutionSource);

    /// <summary>The org built from a copy of solution/src whose role <paramref name="role"/> lacks <paramref name="privilege"/>.</summary>
    public static RoleOrg Without(string role, string privilege)
    {
        using var copy = new TempDirectory();
        CopyFolder(RepoPaths.SolutionSource, copy.Path);
        var file = Path.Combine(copy.Path, "Roles", role + ".xml");
        var document = XDocument.Load(file);
        var removed = document.Descendants("RolePrivilege").Where(p => string.Equals((string?)p.Attribute("name"), privilege, StringComparison.Ordinal)).ToList();
        Assert.Single(removed);
        removed[0].Remove();
        document.Save(file);
        return Build(copy.Path);
    }

    /// <summary>
    /// The org with the committed roles, whose basic sales role lacks <paramref name="privilege"/>: removed as an admin
    /// removes a privilege from a role (its roleprivileges row deleted).
    /// </summary>
    public static RoleOrg WithoutSalesPrivilege(string privilege)
    {
        var org = Create();
        var admin = org.Org.GetService();
        var role = DemoUsers.RoleId(admin, BasicSalesPrivileges.RoleName);
        var query = new QueryExpression("roleprivileges") { ColumnSet = new ColumnSet(false) };
        query.Criteria.AddCondition("roleid", ConditionOperator.Equal, role);
        query.Criteria.AddCondition("privilegeid", ConditionOperator.Equal, Privileges.IdOf(privilege));
        admin.Delete("roleprivileges", Assert.Single(admin.RetrieveMultiple(query).Entities).Id);
        return org;
    }

    private static RoleOrg Build(string solutionFolder)
    {
        var org = DataverseOrg.Create(new DataverseOrgOptions { Clock = TestClock.At(Now), PluginTypeResolver = Plugins });
        org.LoadSolution(solutionFolder);
        DemoUsers.AddBasicSalesRole(org);

        foreach (var (team, name) in new[] { (NorthwindTeam, "Northwind"), (FabrikamTeam, "Fabrikam") })
        {
            org.Seed(new Entity("team", team)
            {
                ["name"] = "Partner team: " + name,
                ["businessunitid"] = new EntityReference("businessunit", org.RootBusinessUnitId),
                ["teamtype"] = new OptionSetValue(0),
            });
        }

        org.Seed(new Entity("account", Northwind)
        {
            ["name"] = "Northwind",
            ["customertypecode"] = new OptionSetValue(5),
            ["address1_country"] = "Germany",
            ["pg_partnercountries"] = "DE,US",
            ["pg_partnerteamid"] = new EntityReference("team", NorthwindTeam),
        });
        org.Seed(new Entity("account", Fabrikam)
        {
            ["name"] = "Fabrikam",
            ["customertypecode"] = new OptionSetValue(9),
            ["address1_country"] = "US",
            ["pg_partnerteamid"] = new EntityReference("team", FabrikamTeam),
        });
        org.Seed(new Entity("account", Alpha) { ["name"] = "Alpha GmbH", ["customertypecode"] = new OptionSetValue(3), ["address1_country"] = "Germany", ["revenue"] = new Money(10_000_000m) });
        org.Seed(new Entity("account", Beta) { ["name"] = "Beta Inc.", ["customertypecode"] = new OptionSetValue(3), ["address1_country"] = "US", ["revenue"] = new Money(5_000_000m) });
        org.Seed(new Entity("account", Gamma) { ["name"] = "Gamma Corp", ["customertypecode"] = new OptionSetValue(3), ["address1_country"] = "US", ["revenue"] = new Money(2_000_000_000m) });
        org.Seed(new Entity("account", Delta) { ["name"] = "Delta Holdings", ["customertypecode"] = new OptionSetValue(3), ["address1_country"] = "US", ["revenue"] = new Money(50_000_000m) });
        org.Seed(new Entity("contact", Carla) { ["fullname"] = "Carla Contact", ["lastname"] = "Contact" });

        var system = org.GetService();
        system.Create(new Entity("pg_directsalesrule", EnterpriseRule)
        {
            ["pg_name"] = "Enterprise",
            ["pg_kind"] = new OptionSetValue(723100000),
            ["pg_measure"] = new OptionSetValue(723100000),
            ["pg_threshold"] = 1_000_000_000m,
            ["pg_priority"] = 10,
            ["pg_description"] = "Global enterprises buy direct.",
        });
        system.Create(new Entity("pg_directsalesrule", DeltaRule)
        {
            ["pg_name"] = "Delta house account",
            ["pg_kind"] = new OptionSetValue(723100003),
            ["pg_accountid"] = new EntityReference("account", Delta),
            ["pg_priority"] = 5,
        });
        // Audit mode (the default): the decision is recorded on every deal, none is refused. Alpha's deal has no
        // partner: the job attaches the one it assigns.
        system.Create(new Entity("opportunity", AlphaDeal) { ["name"] = "Alpha rollout", ["customerid"] = new EntityReference("account", Alpha), ["estimatedvalue"] = new Money(80_000m) });
        system.Create(new Entity("opportunity") { ["name"] = "Gamma expansion", ["customerid"] = new EntityReference("account", Gamma), ["estimatedvalue"] = new Money(500_000m) });
        system.Create(new Entity("opportunity") { ["name"] = "Carla pilot", ["customerid"] = new EntityReference("contact", Carla), ["estimatedvalue"] = new Money(9_000m) });

        AddUser(org, JobUser, "PartnerGuard job", [DemoUsers.JobRole], application: Guid.Parse("a9900000-0000-0000-0000-000000000001"));
        AddUser(org, Seller, "Sam Seller", [DemoUsers.SellerRole, BasicSalesPrivileges.RoleName]);
        AddUser(org, RuleAdmin, "Ada Admin", [DemoUsers.AdministratorRole]);
        return new RoleOrg(org);
    }

    private static void AddUser(DataverseOrg org, Guid id, string name, string[] roles, Guid? application = null)
    {
        var user = new Entity("systemuser", id)
        {
            ["fullname"] = name,
            ["businessunitid"] = new EntityReference("businessunit", org.RootBusinessUnitId),
            ["isdisabled"] = false,
        };
        if (application is { } app)
        {
            user["applicationid"] = app;
        }

        org.Seed(user);
        DemoUsers.GiveRoles(org, id, roles);
    }

    /// <summary>The organization service as one of the users (what a screen action sends, without HTTP).</summary>
    public IOrganizationService As(Guid user) => Org.GetService(user);

    /// <summary>Runs a console command as the user behind <paramref name="token"/> ("job", "seller", "admin", "system").</summary>
    public Task<CommandRun> RunAsync(string token, params string[] args) =>
        RunAsUserAsync(_server, Folder.Path, token, Now.AddMinutes(Interlocked.Increment(ref _runs)), args);

    /// <summary>
    /// Runs a console command in <paramref name="folder"/> against <paramref name="server"/>, signed in with the bearer
    /// token <paramref name="token"/> (the server maps it to a user), its clock at <paramref name="now"/>.
    /// </summary>
    public static async Task<CommandRun> RunAsUserAsync(DataverseWebApiServer server, string folder, string token, DateTimeOffset now, params string[] args)
    {
        var output = new StringWriter();
        var scrubber = new SecretScrubber();
        var before = Files(folder).Select(f => f.Path).ToHashSet(StringComparer.Ordinal);
        var context = new CliContext
        {
            Scrubber = scrubber,
            Out = new ScrubbingWriter(output, scrubber),
            Error = new ScrubbingWriter(output, scrubber),
            Environment = name => name == "PARTNERGUARD_CONNECTION" ? CliHarness.Connection : null,
            Time = new VirtualTimeProvider(now),
            WorkingDirectory = folder,
            Transport = DataverseWebApi.CreateHandler(server),
            Credential = _ => new TokenOf(token),
            WebApi = new WebApiOptions { AttemptTimeout = null, RetryBaseDelay = TimeSpan.FromMilliseconds(1) },
        };
        var code = await PartnerGuardCli.InvokeAsync(args, context);
        var written = Files(folder).Where(f => !before.Contains(f.Path)).Select(f => f.Text);
        return new CommandRun(code, output.ToString(), string.Join(Environment.NewLine, written));
    }

    private static IEnumerable<(string Path, string Text)> Files(string folder) =>
        Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories).Select(p => (p, File.ReadAllText(p)));

    public void Dispose() => Folder.Dispose();

    private static void CopyFolder(string from, string to)
    {
        foreach (var directory in Directory.EnumerateDirectories(from, "*", SearchOption.AllDirectories))
        {
            Directory.CreateDirectory(Path.Combine(to, Path.GetRelativePath(from, directory)));
        }

        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            File.Copy(file, Path.Combine(to, Path.GetRelativePath(from, file)));
        }
    }

    private sealed class TokenOf(string token) : TokenCredential
    {
        public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken) => new(token, DateTimeOffset.MaxValue);

        public override ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
            ValueTask.FromResult(GetToken(requestContext, cancellationToken));
    }
}

/// <summary>A command's exit code, its console output, and the text of the files it wrote (reports, results).</summary>
internal sealed record CommandRun(int ExitCode, string Output, string Files)
{
    /// <summary>Everything the command showed or wrote, where a refused privilege may be named.</summary>
    public string All => Output + Environment.NewLine + Files;

    /// <summary>Finished with exit 0 and no request of it was refused for a missing privilege (a refused run summary is only a warning).</summary>
    public bool Succeeded => ExitCode == 0 && !RoleChecks.NamesAMissingPrivilege(All);
}
