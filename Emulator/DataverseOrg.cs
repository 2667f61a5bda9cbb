using Microsoft.Xrm.Sdk;
using PartnerGuard.Emulator.Metadata;
using PartnerGuard.Emulator.Persistence;
using PartnerGuard.Emulator.Pipeline;
using PartnerGuard.Emulator.Storage;

namespace PartnerGuard.Emulator;

/// <summary>Options for a new emulated org.</summary>
public sealed record DataverseOrgOptions
{
    /// <summary>The org's name (IExecutionContext.OrganizationName).</summary>
    public string OrganizationName { get; init; } = "partnerguard-emulator";

    /// <summary>The clock for createdon/modifiedon and OperationCreatedOn; the system clock by default.</summary>
    public TimeProvider Clock { get; init; } = TimeProvider.System;

    /// <summary>The maximum depth before a nested call is treated as an infinite loop (the platform's default is 8).</summary>
    public int MaxDepth { get; init; } = 8;

    /// <summary>The base currency's ISO code.</summary>
    public string BaseCurrencyCode { get; init; } = "USD";

    /// <summary>
    /// Finds the plug-in type a solution step names: (assembly name, full type name) to the type, or null when
    /// unknown (see <see cref="Pipeline.PluginTypeResolver.FromAssemblies"/>). The emulator references no plug-in
    /// assembly; without a resolver, types are looked up among the assemblies the host has loaded or can load.
    /// </summary>
    public Func<string, string, Type?>? PluginTypeResolver { get; init; }

    /// <summary>The month (1–12) the fiscal year starts in, for the fiscal query operators and date groupings (1 = January).</summary>
    public int FiscalYearStartMonth { get; init; } = 1;

    /// <summary>Fiscal periods per year: 1 (annual), 2 (semesters), 4 (quarters, the default) or 12 (months).</summary>
    public int FiscalPeriodsPerYear { get; init; } = 4;

    /// <summary>
    /// Wraps each IOrganizationService a plug-in gets from its IOrganizationServiceFactory: receives the emulator's
    /// service and the user id the plug-in asked for (null: SYSTEM, <see cref="Guid.Empty"/>: the context's user) and
    /// returns the service the plug-in gets. For hosts that meter, log or fail plug-in traffic; null hands the
    /// emulator's service over as is.
    /// </summary>
    public Func<IOrganizationService, Guid?, IOrganizationService>? PluginServiceWrapper { get; init; }

    /// <summary>
    /// When a query's filter pins the primary key to a finite set of ids, read only those rows (true, the default)
    /// instead of scanning the table. Results are the same either way; a host comparing the two sets it to false.
    /// </summary>
    public bool UsePrimaryKeyLookup { get; init; } = true;

    /// <summary>
    /// Checks every request against the caller's security roles (true, the default, as in Dataverse): a missing
    /// privilege is refused with PrivilegeDenied, queries return only the rows the caller may read. False treats every
    /// caller as holding every privilege, for in-process tests that do not concern security.
    /// </summary>
    public bool EnforceSecurity { get; init; } = true;
}

/// <summary>Counters of the work an org has done since it was created (diagnostics; read at any time, from any thread).</summary>
public sealed class OrgStatistics
{
    private long _queryRowsExamined;

    /// <summary>Main-table rows the query engine has read and filtered, over every query.</summary>
    public long QueryRowsExamined => Interlocked.Read(ref _queryRowsExamined);

    internal void AddQueryRowsExamined(long rows) => Interlocked.Add(ref _queryRowsExamined, rows);
}

/// <summary>
/// An in-process Dataverse org: tables and rows in memory, the query engine, and the plugin pipeline.
/// Entry point of the emulator (see Emulator/README.md).
/// </summary>
/// <example>
/// <code>
/// var org = DataverseOrg.Create();
/// org.LoadSolution("solution/src");
/// var seller = org.CreateUser("Sam Seller");
/// IOrganizationService service = org.GetService(seller);
/// var id = service.Create(new Entity("account") { ["name"] = "Contoso" });
/// </code>
/// </example>
/// <remarks>
/// Thread-safe: reads without plugin steps run in parallel with each other; every other operation runs alone,
/// with every nested call its plugins make (see <see cref="OrgGate"/> and Emulator/README.md, "Concurrency").
/// </remarks>
public sealed partial class DataverseOrg
{
    /// <summary>The version written into saved state files; <see cref="Load(string, DataverseOrgOptions?)"/> refuses other versions.</summary>
    public const int StateFormatVersion = 1;

    /// <summary>The platform's ExecuteMultiple / ExecuteTransaction batch limit.</summary>
    public const int MaxBatchSize = 1000;

    internal readonly OrgGate Gate = new();
    internal readonly RowStore Store = new();

    /// <summary>
    /// Called inside the shared lock by every top-level read that runs in parallel mode. Why this one internal hook
    /// stays: the promise it lets Emulator.Tests check ("reads without steps run at the same time, inside the shared
    /// lock") is about interleaving, which no public result shows; a barrier placed here is the only way to observe two
    /// reads inside the lock at once without timing. It is internal (InternalsVisibleTo Emulator.Tests), null in every
    /// host, and costs one null check per read.
    /// </summary>
    internal Action<OrganizationRequest>? ParallelReadProbe;

    private readonly StepRegistry _steps = new();
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, CustomApi> _customApis = new(StringComparer.Ordinal);
    private readonly PluginTraceLog _trace = new();

    internal DataverseOrg(DataverseOrgOptions options, Guid organizationId)
    {
        Options = options;
        OrganizationId = organizationId;
        Fiscal = new Query.FiscalCalendar(options.FiscalYearStartMonth, options.FiscalPeriodsPerYear);
        SystemTables.AddTo(Metadata);
        Security = new PartnerGuard.Emulator.Security.SecurityModel(this);
    }

    /// <summary>The security checks (roles, privileges, depths) every message runs.</summary>
    internal PartnerGuard.Emulator.Security.SecurityModel Security { get; }

    /// <summary>The options the org was created with.</summary>
    public DataverseOrgOptions Options { get; }

    /// <summary>The fiscal year settings (from the options, checked when the org is created).</summary>
    internal Query.FiscalCalendar Fiscal { get; }

    /// <summary>Counters of the work the org has done (rows examined by queries).</summary>
    public OrgStatistics Statistics { get; } = new();

    /// <summary>The org's tables and columns.</summary>
    public MetadataCatalog Metadata { get; } = new();

    /// <summary>The organization id (WhoAmI, IExecutionContext.OrganizationId).</summary>
    public Guid OrganizationId { get; }

    /// <summary>The root business unit.</summary>
    public Guid RootBusinessUnitId { get; internal set; }

    /// <summary>The built-in administrator user: the default caller, and the owner of seeded rows.</summary>
    public Guid AdministratorId { get; internal set; }

    /// <summary>
    /// The built-in System Administrator role (roletemplateid 627090ff-40a3-4053-8790-584edc5be201): every privilege at
    /// Global depth, on every table, including tables a solution adds later. The administrator holds it.
    /// </summary>
    public Guid SystemAdministratorRoleId { get; internal set; }

    /// <summary>The base currency (transactioncurrency, exchange rate 1).</summary>
    public Guid BaseCurrencyId { get; internal set; }

    /// <summary>Plugin steps registered on the org, in registration order.</summary>
    public IReadOnlyList<PluginStep> Steps
    {
        get
        {
            using (Gate.Read())
            {
                return _steps.ToArray();
            }
        }
    }

    /// <summary>Plugin trace output (the last 10,000 lines), like the Plug-in Trace Log.</summary>
    public IReadOnlyList<PluginTraceLine> TraceLog
    {
        get
        {
            using (Gate.Read())
            {
                return _trace.ToArray();
            }
        }
    }

    /// <summary>
    /// Writes the org's metadata, relationships and rows to a JSON file (format <see cref="StateFormatVersion"/>),
    /// atomically (temporary file, then rename). Plugin steps are code and are not saved: register them (or load the
    /// solution) again after loading.
    /// </summary>
    public void Save(string path) => OrgStateFile.Save(this, path);

    /// <summary>Writes the org's state as JSON to a stream.</summary>
    public void Save(Stream stream) => OrgStateFile.Save(this, stream);

    /// <summary>Loads an org saved with <see cref="Save(string)"/>; fails with a message naming the problem for a file of another format or version.</summary>
    public static DataverseOrg Load(string path, DataverseOrgOptions? options = null) => OrgStateFile.Load(path, options);

    /// <summary>Loads an org from a JSON state stream.</summary>
    public static DataverseOrg Load(Stream stream, DataverseOrgOptions? options = null, string source = "stream") => OrgStateFile.Load(stream, options, source);

    /// <summary>Creates an org with the built-in system tables, a root business unit, an administrator and a base currency.</summary>
    public static DataverseOrg Create(DataverseOrgOptions? options = null)
    {
        var org = new DataverseOrg(options ?? new DataverseOrgOptions(), Guid.NewGuid());
        org.Bootstrap();
        return org;
    }

    private void Bootstrap()
    {
        RootBusinessUnitId = Guid.NewGuid();
        AdministratorId = Guid.NewGuid();
        BaseCurrencyId = Guid.NewGuid();
        var now = Now();
        var admin = new LookupValue("systemuser", AdministratorId);
        PutRaw("businessunit", RootBusinessUnitId, new Dictionary<string, object>
        {
            ["businessunitid"] = RootBusinessUnitId,
            ["name"] = Options.OrganizationName,
            ["createdon"] = now,
            ["modifiedon"] = now,
            ["createdby"] = admin,
            ["modifiedby"] = admin,
        });
        PutRaw("systemuser", AdministratorId, new Dictionary<string, object>
        {
            ["systemuserid"] = AdministratorId,
            ["fullname"] = "System Administrator",
            ["firstname"] = "System",
            ["lastname"] = "Administrator",
            ["businessunitid"] = new LookupValue("businessunit", RootBusinessUnitId),
            ["isdisabled"] = false,
            ["createdon"] = now,
            ["modifiedon"] = now,
            ["createdby"] = admin,
            ["modifiedby"] = admin,
        });
        PutRaw("transactioncurrency", BaseCurrencyId, new Dictionary<string, object>
        {
            ["transactioncurrencyid"] = BaseCurrencyId,
            ["currencyname"] = Options.BaseCurrencyCode,
            ["isocurrencycode"] = Options.BaseCurrencyCode,
            ["currencysymbol"] = Options.BaseCurrencyCode == "USD" ? "$" : Options.BaseCurrencyCode,
            ["exchangerate"] = 1m,
            ["currencyprecision"] = 2,
            ["statecode"] = 0,
            ["statuscode"] = 1,
            ["createdon"] = now,
            ["modifiedon"] = now,
            ["createdby"] = admin,
            ["modifiedby"] = admin,
        });
        AddSystemAdministratorRole();
    }

    /// <summary>Creates the System Administrator role in the root business unit and gives it to the administrator.</summary>
    internal void AddSystemAdministratorRole()
    {
        SystemAdministratorRoleId = Guid.NewGuid();
        var now = Now();
        var admin = new LookupValue("systemuser", AdministratorId);
        PutRaw("role", SystemAdministratorRoleId, new Dictionary<string, object>
        {
            ["roleid"] = SystemAdministratorRoleId,
            ["name"] = "System Administrator",
            ["businessunitid"] = new LookupValue("businessunit", RootBusinessUnitId),
            ["roletemplateid"] = PartnerGuard.Emulator.Security.SecurityTables.SystemAdministratorTemplateId,
            ["isinherited"] = 1,
            ["createdon"] = now,
            ["modifiedon"] = now,
            ["createdby"] = admin,
            ["modifiedby"] = admin,
        });
        var assignment = Guid.NewGuid();
        PutRaw("systemuserroles", assignment, new Dictionary<string, object>
        {
            ["systemuserroleid"] = assignment,
            ["systemuserid"] = AdministratorId,
            ["roleid"] = SystemAdministratorRoleId,
        });
    }

    private void PutRaw(string table, Guid id, Dictionary<string, object> values)
    {
        var version = Store.NextVersion();
        values["versionnumber"] = version;
        Store.Put(table, new Row(id, values, version));
    }

    internal DateTime Now() => Values.ValueCodec.NormalizeDate(Options.Clock.GetUtcNow().UtcDateTime);

    /// <summary>An IOrganizationService that runs requests as the given user (null = the administrator).</summary>
    public IOrganizationService GetService(Guid? userId = null) => GetService(new RequestOptions { UserId = userId });

    /// <summary>An IOrganizationService that runs requests as the given user with the given options (bypass flags).</summary>
    public IOrganizationService GetService(RequestOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var user = options.UserId ?? AdministratorId;
        return new OrganizationService(this, new CallerContext(user, user, null, options.BypassCustomPluginExecution, InsideBatch: false) { DemandsBypass = options.BypassCustomPluginExecution });
    }

    /// <summary>An IOrganizationServiceFactory whose services run as the user asked for (null = the administrator).</summary>
    public IOrganizationServiceFactory GetServiceFactory(bool bypassCustomPluginExecution = false)
        => new OrganizationServiceFactory(this, bypassCustomPluginExecution);

    /// <summary>Runs one request as a user, with options; the entry point for an HTTP front.</summary>
    public OrganizationResponse Execute(OrganizationRequest request, RequestOptions? options = null)
    {
        var user = options?.UserId ?? AdministratorId;
        return Execute(request, new CallerContext(user, user, null, options?.BypassCustomPluginExecution ?? false, InsideBatch: false) { DemandsBypass = options?.BypassCustomPluginExecution ?? false });
    }

    /// <summary>True when the user holds the privilege (a misc one such as prvBypassCustomPlugins, or a table privilege), or security is off.</summary>
    public bool HoldsPrivilege(Guid userId, string privilegeName)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(privilegeName);
        using (Gate.Read())
        {
            return Security.Holds(userId, privilegeName);
        }
    }

    /// <summary>The PrivilegeDenied fault for a user missing a misc privilege (the Web API front's bypass and impersonation checks).</summary>
    internal System.ServiceModel.FaultException<OrganizationServiceFault> PrivilegeFault(Guid userId, string privilegeName)
    {
        using (Gate.Read())
        {
            return Security.Missing(Security.PrivilegesOf(userId), userId, privilegeName, table: null);
        }
    }

    /// <summary>
    /// Runs a request the caller built for this call alone and hands over (it never reads or reuses it afterwards),
    /// so the org skips the defensive copy it makes of every other request. For the Web API front.
    /// </summary>
    /// <param name="impersonator">The authenticated user when the request impersonates <see cref="RequestOptions.UserId"/>: the
    /// privileges used are then the intersection of both users' ("Impersonate another user").</param>
    internal OrganizationResponse ExecuteOwned(OrganizationRequest request, RequestOptions options, Guid? impersonator = null)
    {
        var user = options.UserId ?? AdministratorId;
        return Execute(request, new CallerContext(user, user, null, options.BypassCustomPluginExecution, InsideBatch: false, options.OrderChoicesByValue) { Impersonator = impersonator }, requestOwned: true);
    }

    /// <summary>Creates an enabled user in the root business unit (or the one given) and returns its id.</summary>
    public Guid CreateUser(string fullName, Guid? businessUnitId = null, Guid? id = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(fullName);
        var user = new Entity("systemuser", id ?? Guid.NewGuid())
        {
            ["fullname"] = fullName,
            ["businessunitid"] = new EntityReference("businessunit", businessUnitId ?? RootBusinessUnitId),
            ["isdisabled"] = false,
        };
        return Seed(user);
    }

    /// <summary>Creates an owner team with the given members and returns its id.</summary>
    public Guid CreateTeam(string name, params Guid[] memberIds)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        var teamId = Seed(new Entity("team")
        {
            ["name"] = name,
            ["businessunitid"] = new EntityReference("businessunit", RootBusinessUnitId),
            ["teamtype"] = new OptionSetValue(0),
        });
        foreach (var member in memberIds ?? Array.Empty<Guid>())
        {
            AddTeamMember(teamId, member);
        }

        return teamId;
    }

    /// <summary>Adds a user to a team (a teammembership row).</summary>
    public void AddTeamMember(Guid teamId, Guid userId)
    {
        using (Gate.Read())
        {
            if (Store.Find("team", teamId) is null)
            {
                throw OrgFaults.DoesNotExist("team", teamId);
            }

            if (Store.Find("systemuser", userId) is null)
            {
                throw OrgFaults.DoesNotExist("systemuser", userId);
            }
        }

        Seed(new Entity("teammembership") { ["teamid"] = teamId, ["systemuserid"] = userId });
    }

    /// <summary>
    /// Inserts a row directly, without plugins, as the administrator: validation and system behaviours apply
    /// (types, defaults, owner, _base money), so seeded data looks like data written through the API.
    /// </summary>
    public Guid Seed(Entity entity)
    {
        ArgumentNullException.ThrowIfNull(entity);
        using (Gate.Write())
        {
            var caller = new CallerContext(AdministratorId, AdministratorId, null, BypassPlugins: true, InsideBatch: false) { IsSystem = true };
            return InsertRow(entity, caller);
        }
    }

    /// <summary>Seeds many rows in one lock; returns their ids in order.</summary>
    public IReadOnlyList<Guid> Seed(IEnumerable<Entity> entities)
    {
        ArgumentNullException.ThrowIfNull(entities);
        using (Gate.Write())
        {
            var caller = new CallerContext(AdministratorId, AdministratorId, null, BypassPlugins: true, InsideBatch: false) { IsSystem = true };
            return entities.Select(e => InsertRow(e, caller)).ToList();
        }
    }

    /// <summary>The number of rows in a table.</summary>
    public int Count(string table)
    {
        var meta = Metadata.Get(table);
        using (Gate.Read())
        {
            return Store.Count(meta.LogicalName);
        }
    }

    /// <summary>Registers a plugin step.</summary>
    public PluginStep RegisterStep(PluginStep step)
    {
        ArgumentNullException.ThrowIfNull(step);
        if (step.Mode == StepMode.Asynchronous && step.Stage != PipelineStage.PostOperation)
        {
            throw new ArgumentException($"Step '{step.Name}': asynchronous steps must be registered in PostOperation (40).", nameof(step));
        }

        foreach (var image in step.Images)
        {
            if (image.Type != ImageType.PreImage && step.Stage != PipelineStage.PostOperation)
            {
                throw new ArgumentException($"Step '{step.Name}': the post image '{image.Alias}' is only available in PostOperation (40).", nameof(step));
            }

            if (image.Type != ImageType.PostImage && step.Message.Equals("Create", StringComparison.OrdinalIgnoreCase))
            {
                throw new ArgumentException($"Step '{step.Name}': Create has no pre image ('{image.Alias}').", nameof(step));
            }

            if (image.Type != ImageType.PreImage && step.Message.Equals("Delete", StringComparison.OrdinalIgnoreCase))
            {
                throw new ArgumentException($"Step '{step.Name}': Delete has no post image ('{image.Alias}').", nameof(step));
            }
        }

        if (step.Table is not null)
        {
            Metadata.Get(step.Table);
        }

        using (Gate.Write())
        {
            _steps.Add(step);
        }

        return step;
    }

    /// <summary>Registers a step for a plugin type (constructed with the step's configuration on first use).</summary>
    public PluginStep RegisterStep<TPlugin>(string message, string? table, PipelineStage stage, int rank = 1,
        StepMode mode = StepMode.Synchronous, IEnumerable<string>? filteringAttributes = null,
        IEnumerable<StepImage>? images = null, string? unsecureConfiguration = null, string? secureConfiguration = null)
        where TPlugin : IPlugin
        => RegisterStep(new PluginStep(typeof(TPlugin), message, table, stage)
        {
            Rank = rank,
            Mode = mode,
            FilteringAttributes = filteringAttributes?.Select(a => a.ToLowerInvariant()).ToArray() ?? Array.Empty<string>(),
            Images = images?.ToArray() ?? Array.Empty<StepImage>(),
            UnsecureConfiguration = unsecureConfiguration,
            SecureConfiguration = secureConfiguration,
        });

    /// <summary>Removes every registered step (for example before registering a test's own).</summary>
    public void ClearSteps()
    {
        using (Gate.Write())
        {
            _steps.Clear();
        }
    }

    internal void AddTrace(PluginStep? step, Guid correlationId, string text) => _trace.Add(step, correlationId, text);
}
