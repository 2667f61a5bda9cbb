using Microsoft.Xrm.Sdk;
using Microsoft.Xrm.Sdk.Query;

namespace PartnerGuard.Emulator;

/// <summary>
/// The IOrganizationService the emulator hands out: every method becomes an <see cref="OrganizationRequest"/>
/// dispatched by name, exactly as the SDK client sends it, and runs through the plugin pipeline.
/// </summary>
internal sealed class OrganizationService : IOrganizationService
{
    private readonly DataverseOrg _org;
    private readonly CallerContext _caller;

    public OrganizationService(DataverseOrg org, CallerContext caller)
    {
        _org = org;
        _caller = caller;
    }

    public Guid Create(Entity entity)
    {
        var request = new OrganizationRequest("Create");
        request.Parameters["Target"] = entity;
        return (Guid)Execute(request).Results["id"];
    }

    public Entity Retrieve(string entityName, Guid id, ColumnSet columnSet)
    {
        var request = new OrganizationRequest("Retrieve");
        request.Parameters["Target"] = new EntityReference(entityName, id);
        request.Parameters["ColumnSet"] = columnSet;
        return (Entity)Execute(request).Results["Entity"];
    }

    public void Update(Entity entity)
    {
        var request = new OrganizationRequest("Update");
        request.Parameters["Target"] = entity;
        Execute(request);
    }

    public void Delete(string entityName, Guid id)
    {
        var request = new OrganizationRequest("Delete");
        request.Parameters["Target"] = new EntityReference(entityName, id);
        Execute(request);
    }

    public OrganizationResponse Execute(OrganizationRequest request) => _org.Execute(request, _caller);

    public void Associate(string entityName, Guid entityId, Relationship relationship, EntityReferenceCollection relatedEntities)
    {
        var request = new OrganizationRequest("Associate");
        request.Parameters["Target"] = new EntityReference(entityName, entityId);
        request.Parameters["Relationship"] = relationship;
        request.Parameters["RelatedEntities"] = relatedEntities;
        Execute(request);
    }

    public void Disassociate(string entityName, Guid entityId, Relationship relationship, EntityReferenceCollection relatedEntities)
    {
        var request = new OrganizationRequest("Disassociate");
        request.Parameters["Target"] = new EntityReference(entityName, entityId);
        request.Parameters["Relationship"] = relationship;
        request.Parameters["RelatedEntities"] = relatedEntities;
        Execute(request);
    }

    public EntityCollection RetrieveMultiple(QueryBase query)
    {
        var request = new OrganizationRequest("RetrieveMultiple");
        request.Parameters["Query"] = query;
        return (EntityCollection)Execute(request).Results["EntityCollection"];
    }
}

/// <summary>The factory callers outside plugins use: services run as the given user (null = the administrator).</summary>
internal sealed class OrganizationServiceFactory : IOrganizationServiceFactory
{
    private readonly DataverseOrg _org;
    private readonly bool _bypass;

    public OrganizationServiceFactory(DataverseOrg org, bool bypass)
    {
        _org = org;
        _bypass = bypass;
    }

    public IOrganizationService CreateOrganizationService(Guid? userId)
    {
        var user = userId ?? _org.AdministratorId;
        return new OrganizationService(_org, new CallerContext(user, user, null, _bypass, InsideBatch: false));
    }
}
