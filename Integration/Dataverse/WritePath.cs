using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using PartnerGuard.Integration.Domain.Execution;
using PartnerGuard.Integration.Domain.Journal;
using PartnerGuard.Integration.Dataverse.WebApi;
using PartnerGuard.Integration.Dataverse.WebApi.Batch;

namespace PartnerGuard.Integration.Dataverse;

/// <summary>How apply writes: the server's best (auto), UpdateMultiple, or $batch.</summary>
internal enum WritePath
{
    Auto,
    UpdateMultiple,
    Batch,
}
