using System.Globalization;
using Microsoft.Xrm.Sdk;
using Microsoft.Xrm.Sdk.Query;
using PartnerGuard.Emulator.Metadata;
using PartnerGuard.Emulator.Security;
using PartnerGuard.Emulator.Storage;
using PartnerGuard.Emulator.Values;

namespace PartnerGuard.Emulator;

/// <summary>Row-level core operations (stage 30) with the platform's system behaviours.</summary>
public sealed partial class DataverseOrg
{
    internal Guid InsertRow(Entity entity, CallerContext caller)
    {
        var meta = TableOf(entity);
        var id = IdOf(meta, entity, required: false);
        if (id == Guid.Empty)
        {
            id = Guid.NewGuid();
        }

        if (Store.Find(meta.LogicalName, id) is not null)
        {
            throw OrgFaults.Create(OrgErrorCodes.DuplicateRecord,
                $"Cannot insert duplicate key: a {meta.LogicalName} record with id {id:D} already exists.");
        }

        var values = new Dictionary<string, object>(StringComparer.OrdinalIgnoreCase);
        foreach (var attribute in entity.Attributes)
        {
            var column = meta.FindExact(attribute.Key) ?? throw OrgFaults.UnknownColumn(meta.LogicalName, attribute.Key);
            if (column.Type == ColumnType.PrimaryKey || (column.IsReadOnly && column.LogicalName != "overriddencreatedon"))
            {
                continue;
            }

            var stored = StoredValue(meta, column, attribute.Value);
            if (stored is not null)
            {
                values[column.LogicalName] = stored;
            }
        }

        values[meta.PrimaryIdColumn] = id;
        var now = Now();
        var user = new LookupValue("systemuser", caller.UserId);
        if (values.Remove("overriddencreatedon", out var overridden) && meta.HasColumn("createdon"))
        {
            values["overriddencreatedon"] = overridden;
            values["createdon"] = overridden;
        }

        SetIfColumn(meta, values, "createdon", now, overwrite: false);
        SetIfColumn(meta, values, "modifiedon", now, overwrite: true);
        SetIfColumn(meta, values, "createdby", user, overwrite: true);
        SetIfColumn(meta, values, "modifiedby", user, overwrite: true);
        if (meta.IsUserOwned && !values.ContainsKey("ownerid"))
        {
            values["ownerid"] = user;
        }

        ApplyOwnerBusinessUnit(meta, values);
        ApplyStateDefaults(meta, values, previousState: null, stateChanged: true, statusChanged: values.ContainsKey("statuscode"));
        ApplyComputedColumns(meta, values, moneyChanged: true);

        // Create on the row as it will be stored (its owner and business unit decide the depth needed), then Append on
        // it and AppendTo on each row its lookups point at.
        Security.Demand(caller, PrivilegeAccess.Create, meta, id, values);
        Security.DemandLookups(caller, meta, id, values, entity.Attributes.Keys);
        Commit(meta, id, values);
        return id;
    }

    /// <summary>Changes a row; <paramref name="access"/> is the privilege the message needs on it (Write for Update and SetState, Assign for Assign).</summary>
    internal (Row Before, Row After) UpdateRow(Entity target, CallerContext caller, ConcurrencyBehavior concurrency, PrivilegeAccess access = PrivilegeAccess.Write)
    {
        var meta = TableOf(target);
        var id = IdOf(meta, target, required: true);
        var before = Store.Find(meta.LogicalName, id) ?? throw OrgFaults.DoesNotExist(meta.LogicalName, id);
        Security.Demand(caller, access, meta, id, before.Values);
        CheckRowVersion(meta, before, target.RowVersion, concurrency);

        var values = new Dictionary<string, object>(before.Values, StringComparer.OrdinalIgnoreCase);
        var moneyChanged = false;
        var stateChanged = false;
        var statusChanged = false;
        foreach (var attribute in target.Attributes)
        {
            var column = meta.FindExact(attribute.Key) ?? throw OrgFaults.UnknownColumn(meta.LogicalName, attribute.Key);
            if (column.Type == ColumnType.PrimaryKey)
            {
                if (attribute.Value is Guid other && other != id)
                {
                    throw OrgFaults.InvalidArgument(
                        $"The primary key '{column.LogicalName}' ({other:D}) differs from the entity Id ({id:D}); a record's id cannot be changed.");
                }

                continue;
            }

            if (column.IsReadOnly || column.IsCreateOnly)
            {
                // Dataverse ignores columns that are not valid for update.
                continue;
            }

            var stored = StoredValue(meta, column, attribute.Value);
            if (stored is null)
            {
                values.Remove(column.LogicalName);
            }
            else
            {
                values[column.LogicalName] = stored;
            }

            moneyChanged |= column.Type == ColumnType.Money || column.LogicalName == "transactioncurrencyid";
            stateChanged |= column.LogicalName == "statecode";
            statusChanged |= column.LogicalName == "statuscode";
        }

        if (meta.IsUserOwned && !values.ContainsKey("ownerid"))
        {
            throw OrgFaults.InvalidArgument($"The owner of a {meta.LogicalName} record cannot be cleared.");
        }

        if (access == PrivilegeAccess.Write)
        {
            // An Update that changes the owner is an assignment (Assign on the row); lookups it changes need Append/AppendTo.
            if (values.GetValueOrDefault("ownerid") is LookupValue owner && !owner.Equals(before.Get("ownerid")))
            {
                Security.Demand(caller, PrivilegeAccess.Assign, meta, id, before.Values);
            }

            Security.DemandLookups(caller, meta, id, values, target.Attributes.Keys.Where(k => !Equals(values.GetValueOrDefault(k), before.Get(k))));
        }

        SetIfColumn(meta, values, "modifiedon", Now(), overwrite: true);
        SetIfColumn(meta, values, "modifiedby", new LookupValue("systemuser", caller.UserId), overwrite: true);
        ApplyOwnerBusinessUnit(meta, values);
        ApplyStateDefaults(meta, values, before.Get("statecode") as int?, stateChanged, statusChanged);
        ApplyComputedColumns(meta, values, moneyChanged);
        var after = Commit(meta, id, values);
        return (before, after);
    }

    internal Row DeleteRow(EntityReference target, ConcurrencyBehavior concurrency)
    {
        var meta = Metadata.GetExact(target.LogicalName);
        if (target.Id == Guid.Empty)
        {
            throw OrgFaults.InvalidArgument($"The {meta.LogicalName} to delete has an empty Id.");
        }

        var before = Store.Find(meta.LogicalName, target.Id) ?? throw OrgFaults.DoesNotExist(meta.LogicalName, target.Id);
        CheckRowVersion(meta, before, target.RowVersion, concurrency);
        Store.Remove(meta.LogicalName, target.Id);
        RemoveLinksTo(meta.LogicalName, target.Id);
        return before;
    }

    /// <summary>Clears lookups that pointed at a deleted row (the RemoveLink cascade of most relationships).</summary>
    private void RemoveLinksTo(string table, Guid id)
    {
        foreach (var other in Metadata.Tables)
        {
            var lookups = other.Columns.Where(c => c.IsLookup && (c.Targets.Count == 0 || c.Targets.Contains(table, StringComparer.OrdinalIgnoreCase))).ToArray();
            if (lookups.Length == 0)
            {
                continue;
            }

            foreach (var row in Store.Table(other.LogicalName).Values.ToArray())
            {
                Dictionary<string, object>? changed = null;
                foreach (var lookup in lookups)
                {
                    if (row.Get(lookup.LogicalName) is LookupValue value && value.Id == id && value.Table == table)
                    {
                        changed ??= new Dictionary<string, object>(row.Values, StringComparer.OrdinalIgnoreCase);
                        changed.Remove(lookup.LogicalName);
                    }
                }

                if (changed is not null)
                {
                    Commit(other, row.Id, changed);
                }
            }
        }
    }

    private Row Commit(TableMetadata meta, Guid id, Dictionary<string, object> values)
    {
        var version = Store.NextVersion();
        if (meta.HasColumn("versionnumber"))
        {
            values["versionnumber"] = version;
        }

        var row = new Row(id, values, version);
        Store.Put(meta.LogicalName, row);
        return row;
    }

    private static void CheckRowVersion(TableMetadata meta, Row row, string? rowVersion, ConcurrencyBehavior concurrency)
    {
        if (concurrency != ConcurrencyBehavior.IfRowVersionMatches)
        {
            return;
        }

        if (string.IsNullOrEmpty(rowVersion))
        {
            throw OrgFaults.InvalidArgument(
                $"The RowVersion property must be provided when the value of ConcurrencyBehavior is IfRowVersionMatches ({meta.LogicalName} {row.Id:D}).");
        }

        if (rowVersion != row.Version.ToString(CultureInfo.InvariantCulture))
        {
            throw OrgFaults.Create(OrgErrorCodes.ConcurrencyVersionMismatch,
                $"The version of the existing record doesn't match the RowVersion property provided ({meta.LogicalName} {row.Id:D}: stored {row.Version}, provided {rowVersion}).");
        }
    }

    private TableMetadata TableOf(Entity? entity)
    {
        if (entity is null)
        {
            throw OrgFaults.InvalidArgument("Required field 'Target' is missing: the request has no entity.");
        }

        return Metadata.GetExact(entity.LogicalName);
    }

    internal static Guid IdOf(TableMetadata meta, Entity entity, bool required)
    {
        var id = entity.Id;
        if (entity.Attributes.TryGetValue(meta.PrimaryIdColumn, out var pk) && pk is not null)
        {
            if (pk is not Guid attributeId)
            {
                throw OrgFaults.Create(OrgErrorCodes.InvalidArgument,
                    $"Incorrect attribute value type {pk.GetType().FullName} for attribute '{meta.PrimaryIdColumn}' of entity '{meta.LogicalName}': expected System.Guid.");
            }

            if (id != Guid.Empty && attributeId != id)
            {
                throw OrgFaults.InvalidArgument(
                    $"The primary key '{meta.PrimaryIdColumn}' ({attributeId:D}) differs from the entity Id ({id:D}).");
            }

            id = attributeId;
        }

        if (required && id == Guid.Empty)
        {
            throw OrgFaults.InvalidArgument($"Entity Id must be specified for Update ({meta.LogicalName}).");
        }

        return id;
    }

    private object? StoredValue(TableMetadata meta, ColumnMetadata column, object? value)
    {
        var stored = ValueCodec.ToStored(meta, column, value);
        if (stored is LookupValue lookup)
        {
            Metadata.GetExact(lookup.Table);
            if (Store.Find(lookup.Table, lookup.Id) is null)
            {
                throw OrgFaults.DoesNotExist(lookup.Table, lookup.Id);
            }
        }

        return stored;
    }

    private static void SetIfColumn(TableMetadata meta, Dictionary<string, object> values, string column, object value, bool overwrite)
    {
        if (meta.HasColumn(column) && (overwrite || !values.ContainsKey(column)))
        {
            values[column] = value;
        }
    }

    private void ApplyOwnerBusinessUnit(TableMetadata meta, Dictionary<string, object> values)
    {
        if (!meta.HasColumn("owningbusinessunit") || values.Get("ownerid") is not LookupValue owner)
        {
            return;
        }

        if (Store.Find(owner.Table, owner.Id)?.Get("businessunitid") is LookupValue unit)
        {
            values["owningbusinessunit"] = unit;
        }
    }

    private static void ApplyStateDefaults(TableMetadata meta, Dictionary<string, object> values, int? previousState, bool stateChanged, bool statusChanged)
    {
        if (!meta.HasState)
        {
            return;
        }

        var statusColumn = meta.FindColumn("statuscode")!;
        if (statusChanged && !stateChanged && values.Get("statuscode") is int onlyStatus
            && statusColumn.StatusToState.TryGetValue(onlyStatus, out var impliedState))
        {
            values["statecode"] = impliedState;
            stateChanged = impliedState != previousState;
        }

        if (values.Get("statecode") is not int state)
        {
            state = 0;
            values["statecode"] = state;
        }

        if (!values.ContainsKey("statuscode") || (stateChanged && !statusChanged))
        {
            values["statuscode"] = meta.DefaultStatusForState.TryGetValue(state, out var status) ? status : state + 1;
        }

        var finalStatus = (int)values["statuscode"];
        if (statusColumn.StatusToState.TryGetValue(finalStatus, out var owningState) && owningState != state)
        {
            throw OrgFaults.InvalidArgument(
                $"{finalStatus} is not a valid status code for state code {meta.LogicalName}State.{state} ({meta.LogicalName}.statuscode belongs to statecode {owningState}).");
        }
    }

    private void ApplyComputedColumns(TableMetadata meta, Dictionary<string, object> values, bool moneyChanged)
    {
        if (meta.LogicalName is "contact" or "systemuser" && (values.ContainsKey("firstname") || values.ContainsKey("lastname")))
        {
            var full = $"{values.Get("firstname")} {values.Get("lastname")}".Trim();
            if (full.Length > 0 && (meta.LogicalName == "contact" || !values.ContainsKey("fullname")))
            {
                values["fullname"] = full;
            }
        }

        if (!moneyChanged)
        {
            return;
        }

        var moneyColumns = meta.Columns.Where(c => c.Type == ColumnType.Money && !c.IsBaseCurrency).ToArray();
        if (moneyColumns.Length == 0 || !meta.HasColumn("transactioncurrencyid"))
        {
            return;
        }

        if (!moneyColumns.Any(c => values.ContainsKey(c.LogicalName)) && !values.ContainsKey("transactioncurrencyid"))
        {
            return;
        }

        if (values.Get("transactioncurrencyid") is not LookupValue currency)
        {
            currency = new LookupValue("transactioncurrency", BaseCurrencyId);
            values["transactioncurrencyid"] = currency;
        }

        var rate = Store.Find("transactioncurrency", currency.Id)?.Get("exchangerate") as decimal? ?? 1m;
        if (rate <= 0)
        {
            throw OrgFaults.InvalidArgument($"The exchange rate of currency {currency.Id:D} must be positive.");
        }

        values["exchangerate"] = rate;
        foreach (var money in moneyColumns)
        {
            var baseName = money.LogicalName + "_base";
            if (!meta.HasColumn(baseName))
            {
                continue;
            }

            if (values.Get(money.LogicalName) is decimal amount)
            {
                // Base-currency value = amount ÷ the currency's exchange rate (units of currency per base unit), filled in
                // the main operation like the platform does, so PreOperation plug-ins never see it on Create. Source:
                // Microsoft Learn, "Transaction currency (currency) table": creditlimit_base = creditlimit / exchangerate.
                values[baseName] = Math.Round(amount / rate, 4, MidpointRounding.AwayFromZero);
            }
            else
            {
                values.Remove(baseName);
            }
        }
    }

    /// <summary>The SDK form of a stored row, projected to a column set; a fresh object every call.</summary>
    internal Entity ToEntity(TableMetadata meta, Row row, ColumnSet? columns)
    {
        var entity = new Entity(meta.LogicalName, row.Id) { RowVersion = row.Version.ToString(CultureInfo.InvariantCulture) };
        if (columns is null || columns.AllColumns)
        {
            foreach (var pair in row.Values)
            {
                var column = meta.FindColumn(pair.Key);
                if (column is not null)
                {
                    entity[column.LogicalName] = ValueCodec.ToSdk(column, pair.Value, NameOf);
                }
            }

            return entity;
        }

        entity[meta.PrimaryIdColumn] = row.Id;
        foreach (var name in columns.Columns)
        {
            var column = meta.FindExact(name) ?? throw OrgFaults.UnknownColumn(meta.LogicalName, name);
            if (row.Values.TryGetValue(column.LogicalName, out var stored))
            {
                entity[column.LogicalName] = ValueCodec.ToSdk(column, stored, NameOf);
            }
        }

        return entity;
    }

    /// <summary>An image: the row projected to the image's columns (all when none are listed).</summary>
    internal Entity ToImage(TableMetadata meta, Row row, IReadOnlyList<string> columns)
    {
        if (columns.Count == 0)
        {
            return ToEntity(meta, row, new ColumnSet(true));
        }

        var entity = new Entity(meta.LogicalName, row.Id) { RowVersion = row.Version.ToString(CultureInfo.InvariantCulture) };
        foreach (var name in columns)
        {
            var column = meta.FindColumn(name);
            if (column is not null && row.Values.TryGetValue(column.LogicalName, out var stored))
            {
                entity[column.LogicalName] = ValueCodec.ToSdk(column, stored, NameOf);
            }
        }

        return entity;
    }

    /// <summary>The primary name of the row a lookup points to (EntityReference.Name), or null.</summary>
    internal string? NameOf(LookupValue lookup)
    {
        var meta = Metadata.Find(lookup.Table);
        if (meta?.PrimaryNameColumn is null)
        {
            return null;
        }

        return Store.Find(meta.LogicalName, lookup.Id)?.Get(meta.PrimaryNameColumn) as string;
    }
}

internal static class ValueDictionaryExtensions
{
    public static object? Get(this Dictionary<string, object> values, string key)
        => values.TryGetValue(key, out var value) ? value : null;
}
