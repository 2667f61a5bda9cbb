using Microsoft.Xrm.Sdk;
using Microsoft.Xrm.Sdk.Query;

namespace PartnerGuard.Testing;

/// <summary>
/// Meters the organization services plug-ins get from the emulator (set as DataverseOrgOptions.PluginServiceWrapper
/// by <see cref="SolutionOrg"/>): every call a plug-in makes is logged as "RetrieveMultiple account", "Retrieve contact",
/// and the user each service was asked for is recorded (null: SYSTEM). Thread-safe.
/// </summary>
/// <remarks>
/// <see cref="FailReadsOn"/> is the one fault this kit adds: a read that fails inside a plug-in (a service fault,
/// a timeout) is something the emulator never produces on a healthy table, and the plug-in's fail-closed paths
/// need one. Every other answer comes from the emulator.
/// </remarks>
public sealed class PluginServiceMeter
{
    private readonly object _gate = new();
    private readonly List<string> _calls = new();
    private readonly List<Guid?> _users = new();

    /// <summary>Makes every read of the named table by a plug-in fail, as a service fault would.</summary>
    public string? FailReadsOn { get; set; }

    /// <summary>One line per call, in order: "RetrieveMultiple account", "Retrieve contact".</summary>
    public IReadOnlyList<string> Calls
    {
        get
        {
            lock (_gate)
            {
                return _calls.ToArray();
            }
        }
    }

    /// <summary>The user ids plug-ins asked services for, in order (null: SYSTEM; Guid.Empty: the calling user).</summary>
    public IReadOnlyList<Guid?> ServiceUsers
    {
        get
        {
            lock (_gate)
            {
                return _users.ToArray();
            }
        }
    }

    /// <summary>The wrapper to pass as DataverseOrgOptions.PluginServiceWrapper.</summary>
    public IOrganizationService Wrap(IOrganizationService service, Guid? userId)
    {
        lock (_gate)
        {
            _users.Add(userId);
        }

        return new Metered(this, service);
    }

    private void Record(string call, string table)
    {
        lock (_gate)
        {
            _calls.Add(call + " " + table);
        }

        if (call.StartsWith("Retrieve", StringComparison.Ordinal) && string.Equals(FailReadsOn, table, StringComparison.Ordinal))
        {
            throw new InvalidOperationException("Simulated service fault on " + table + ".");
        }
    }

    private sealed class Metered : IOrganizationService
    {
        private readonly PluginServiceMeter _meter;
        private readonly IOrganizationService _inner;

        public Metered(PluginServiceMeter meter, IOrganizationService inner)
        {
            _meter = meter;
            _inner = inner;
        }

        public Guid Create(Entity entity)
        {
            _meter.Record("Create", entity.LogicalName);
            return _inner.Create(entity);
        }

        public Entity Retrieve(string entityName, Guid id, ColumnSet columnSet)
        {
            _meter.Record("Retrieve", entityName);
            return _inner.Retrieve(entityName, id, columnSet);
        }

        public void Update(Entity entity)
        {
            _meter.Record("Update", entity.LogicalName);
            _inner.Update(entity);
        }

        public void Delete(string entityName, Guid id)
        {
            _meter.Record("Delete", entityName);
            _inner.Delete(entityName, id);
        }

        public OrganizationResponse Execute(OrganizationRequest request)
        {
            _meter.Record("Execute", request.RequestName);
            return _inner.Execute(request);
        }

        public void Associate(string entityName, Guid entityId, Relationship relationship, EntityReferenceCollection relatedEntities)
        {
            _meter.Record("Associate", entityName);
            _inner.Associate(entityName, entityId, relationship, relatedEntities);
        }

        public void Disassociate(string entityName, Guid entityId, Relationship relationship, EntityReferenceCollection relatedEntities)
        {
            _meter.Record("Disassociate", entityName);
            _inner.Disassociate(entityName, entityId, relationship, relatedEntities);
        }

        public EntityCollection RetrieveMultiple(QueryBase query)
        {
            var table = query switch
            {
                QueryExpression expression => expression.EntityName,
                QueryByAttribute byAttribute => byAttribute.EntityName,
                _ => "fetch",
            };
            _meter.Record("RetrieveMultiple", table);
            return _inner.RetrieveMultiple(query);
        }
    }
}
