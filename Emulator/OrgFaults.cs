using System.ServiceModel;
using Microsoft.Xrm.Sdk;

namespace PartnerGuard.Emulator;

/// <summary>
/// The platform error codes the emulator raises, and the one way to raise them: as the
/// <see cref="FaultException{OrganizationServiceFault}"/> an SDK client receives from Dataverse.
/// </summary>
/// <remarks>
/// Confirmed against the Dataverse "Web service error codes" list
/// (learn.microsoft.com/power-apps/developer/data-platform/reference/web-service-error-codes) or the SDK docs:
/// ObjectDoesNotExist, IsvAborted, InvalidOperatorCode, InvalidOperation. The others are the values commonly
/// reported for these failures and are marked "not confirmed" below; callers should match on them only in tests.
/// Messages follow the platform's wording where it is known, and always name the table, column or value concerned.
/// </remarks>
public static class OrgErrorCodes
{
    /// <summary>ObjectDoesNotExist (0x80040217): "{table} With Id = {id} Does Not Exist".</summary>
    public const int ObjectDoesNotExist = -2147220969;
    /// <summary>PrivilegeDenied (0x80040220): the caller's roles do not give a privilege the operation needs ("Principal user … is missing prv… privilege").</summary>
    public const int PrivilegeDenied = unchecked((int)0x80040220);
    /// <summary>The access check (0x80048306): the privilege is held, at a depth that does not reach the record ("Principal with ID … does not have …Access right(s) for record …").</summary>
    public const int AccessCheckFailed = unchecked((int)0x80048306);
    /// <summary>IsvAborted (0x80040265): an InvalidPluginExecutionException thrown by a plugin.</summary>
    public const int IsvAborted = -2147220891;
    /// <summary>IsvUnExpected (0x80040224), not confirmed: any other exception thrown by a plugin.</summary>
    public const int IsvUnExpected = -2147220956;
    /// <summary>InvalidArgument (0x80040203), not confirmed: a request parameter or value of the wrong shape or type.</summary>
    public const int InvalidArgument = -2147220989;
    /// <summary>DuplicateRecord (0x80040237), not confirmed: a create with an id that already exists.</summary>
    public const int DuplicateRecord = -2147220937;
    /// <summary>QueryBuilderNoAttribute (0x80041103), not confirmed: a column the table does not have.</summary>
    public const int QueryBuilderNoAttribute = -2147217149;
    /// <summary>QueryBuilderNoEntity (0x80041102), not confirmed: a table the org does not have.</summary>
    public const int QueryBuilderNoEntity = -2147217150;
    /// <summary>StringLengthTooLong (0x80044331), not confirmed: a text value longer than the column's maximum length.</summary>
    public const int StringLengthTooLong = -2147204303;
    /// <summary>InvalidOperatorCode (0x80048415): a condition operator that is not valid or not supported.</summary>
    public const int InvalidOperatorCode = -2147187691;
    /// <summary>ConcurrencyVersionMismatch (0x80060882), not confirmed: the row version given does not match the stored row.</summary>
    public const int ConcurrencyVersionMismatch = -2147088254;
    /// <summary>The infinite-loop guard: a nested call deeper than the maximum depth (8); not confirmed.</summary>
    public const int InfiniteLoopDetected = -2147204734;
    /// <summary>ExecuteMultiple batch larger than the maximum batch size (1,000); ErrorDetails["MaxBatchSize"] carries the limit; code not confirmed.</summary>
    public const int ExceededMaxBatchSize = -2147220715;
    /// <summary>ExecuteMultiple / ExecuteTransaction nested inside another ExecuteMultiple / ExecuteTransaction; code not confirmed.</summary>
    public const int NestedBatchNotAllowed = -2147220716;
    /// <summary>
    /// "There is no active transaction": a plugin caught a failed nested request inside the transaction and carried
    /// on; the platform has already doomed the transaction (shared/reference/sdk-and-pipeline-notes.md §4.4).
    /// </summary>
    public const int NoActiveTransaction = -2147220911;
    /// <summary>InvalidOperation (0x8004023b): an operation that the platform refuses in this form.</summary>
    public const int InvalidOperation = -2147220933;
    /// <summary>UnrecognizedRequest: a request name the emulator does not handle; code not confirmed.</summary>
    public const int UnrecognizedRequest = -2147220988;
    /// <summary>FetchXML that cannot be parsed or uses unsupported features; code not confirmed.</summary>
    public const int InvalidFetchXml = -2147220991;
    /// <summary>AggregateQueryRecordLimit (0x8004E023): an aggregate query over more than 50,000 rows (Learn, "Aggregate data using FetchXml").</summary>
    public const int AggregateQueryRecordLimit = -2147164125;
}

/// <summary>Builds the faults the emulator throws.</summary>
public static class OrgFaults
{
    /// <summary>A fault exception as an SDK client receives it.</summary>
    public static FaultException<OrganizationServiceFault> Create(int errorCode, string message, IDictionary<string, object>? details = null)
    {
        var fault = new OrganizationServiceFault
        {
            ErrorCode = errorCode,
            Message = message,
            Timestamp = DateTime.UtcNow,
        };
        if (details is not null)
        {
            foreach (var pair in details)
            {
                fault.ErrorDetails[pair.Key] = pair.Value;
            }
        }

        return new FaultException<OrganizationServiceFault>(fault, new FaultReason(message));
    }

    /// <summary>Wraps an existing fault detail (for example one collected by ExecuteMultiple).</summary>
    public static FaultException<OrganizationServiceFault> From(OrganizationServiceFault fault)
        => new(fault, new FaultReason(fault.Message ?? "Fault"));

    internal static FaultException<OrganizationServiceFault> DoesNotExist(string table, Guid id)
        => Create(OrgErrorCodes.ObjectDoesNotExist, $"{table} With Id = {id:D} Does Not Exist");

    internal static FaultException<OrganizationServiceFault> UnknownTable(string table)
        => Create(OrgErrorCodes.QueryBuilderNoEntity,
            $"The entity with a name = '{table}' with namemapping = 'Logical' was not found in the MetadataCache.");

    internal static FaultException<OrganizationServiceFault> UnknownColumn(string table, string column)
        => Create(OrgErrorCodes.QueryBuilderNoAttribute,
            $"'{table}' entity doesn't contain attribute with Name = '{column}' and NameMapping = 'Logical'.");

    internal static FaultException<OrganizationServiceFault> InvalidArgument(string message)
        => Create(OrgErrorCodes.InvalidArgument, message);

    internal static FaultException<OrganizationServiceFault> RequiredParameter(string requestName, string parameter)
        => Create(OrgErrorCodes.InvalidArgument, $"Required field '{parameter}' is missing (request '{requestName}').");
}
