using Microsoft.Xrm.Sdk;

namespace PartnerGuard.Emulator.WebApi;

/// <summary>A write translated into an organization request, with the way to answer it once it has run.</summary>
internal sealed class WritePlan
{
    public required OrganizationRequest Request { get; init; }

    public required Func<OrganizationResponse, WebApiResponse> Respond { get; init; }

    /// <summary>The URL (relative to the root) of the record the operation addresses, for Content-ID references.</summary>
    public string? EntityPath { get; init; }

    public bool Bypass { get; init; }

    /// <summary>How many operations the request stands for (targets of a bulk action).</summary>
    public int Operations { get; init; } = 1;
}
