using Microsoft.Xrm.Sdk;
using Microsoft.Xrm.Sdk.Query;

namespace PartnerGuard.XrmSdk.Tests.Parity;

/// <summary>Official query-building behaviour; how it was established: see ExceptionParityTests.</summary>
public sealed class QueryParityTests
{
    [Fact]
    public void NestedAddLink_JoinsFromTheParentLinksLinkFromEntityName_ReadWhenAdded()
    {
        var query = new QueryExpression("account");
        LinkEntity contact = query.AddLink("contact", "primarycontactid", "contactid");
        contact.EntityAlias = "pc";
        LinkEntity owner = contact.AddLink("systemuser", "ownerid", "systemuserid");
        LinkEntity team = owner.AddLink("team", "businessunitid", "businessunitid");

        Assert.Equal("account", contact.LinkFromEntityName);
        Assert.Equal("account", owner.LinkFromEntityName);
        Assert.Equal("account", team.LinkFromEntityName);
        Assert.Equal(JoinOperator.Inner, owner.JoinOperator);

        contact.LinkFromEntityName = "changed";
        Assert.Equal("changed", contact.AddLink("team", "owningteam", "teamid").LinkFromEntityName);
        Assert.Null(new LinkEntity().AddLink("team", "a", "b").LinkFromEntityName);
    }

    [Fact]
    public void QueryByAttribute_ParameterlessConstructorCreatesColumnSetAndPageInfo_TheNamedOneDoesNot()
    {
        var bare = new QueryByAttribute();
        var named = new QueryByAttribute("account");

        Assert.NotNull(bare.ColumnSet);
        Assert.False(bare.ColumnSet.AllColumns);
        Assert.Empty(bare.ColumnSet.Columns);
        Assert.NotNull(bare.PageInfo);
        Assert.Equal(0, bare.PageInfo.PageNumber);
        Assert.Null(named.ColumnSet);
        Assert.Null(named.PageInfo);
    }

    [Fact]
    public void Relationship_ToString_IsSchemaNameDotRole()
    {
        Assert.Equal("pg_rel.", new Relationship("pg_rel").ToString());
        Assert.Equal("pg_rel.Referencing", new Relationship("pg_rel") { PrimaryEntityRole = EntityRole.Referencing }.ToString());
        Assert.Equal(".", new Relationship().ToString());
    }
}
