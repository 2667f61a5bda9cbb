using System.Net;
using System.Net.Http.Headers;
using Microsoft.Xrm.Sdk;
using PartnerGuard.Emulator;
using PartnerGuard.Emulator.Pipeline;
using PartnerGuard.Emulator.Security;
using PartnerGuard.Testing;
using PartnerGuard.Emulator.WebApi;

namespace PartnerGuard.FormScript.Tests;

/// <summary>
/// The real server side for the browser tests: an emulated org with PartnerGuard's solution loaded (its plug-ins, the
/// pg_CheckChannel Custom API, Enforce mode), served by the emulator's Web API host on a loopback port. The harness page
/// calls its own origin; <see cref="ForwardAsync"/> passes /api/data/v9.2/* on to this host as the seller, so the page,
/// the script and the Web API meet as they do in Dynamics 365 (one origin, the user's token).
/// </summary>
internal sealed class EmulatedWebApi : IAsyncDisposable
{
    private const string SellerToken = "seller";

    private readonly DataverseWebApiHost _host;

    private EmulatedWebApi(DataverseOrg org, DataverseWebApiHost host, Guid seller)
    {
        Org = org;
        _host = host;
        Seller = seller;
        Http = new HttpClient { BaseAddress = host.BaseAddress };
        Http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", SellerToken);
    }

    public DataverseOrg Org { get; }

    public Guid Seller { get; }

    /// <summary>The Web API as the seller (for the save after the preview).</summary>
    public HttpClient Http { get; }

    public static async Task<EmulatedWebApi> StartAsync()
    {
        var org = DataverseOrg.Create(new DataverseOrgOptions { PluginTypeResolver = PluginTypeResolver.FromAssemblies(typeof(PartnerGuard.Plugins.CheckChannel).Assembly) });
        org.LoadSolution(PartnerGuard.Testing.RepoPaths.SolutionSource);
        org.SetEnvironmentVariable("pg_EnforcementMode", "Enforce");
        var seller = org.CreateUser("Sam Seller");

        // The seller holds what a seller holds in Dynamics 365 (the emulator enforces roles): PartnerGuard Seller from
        // solution/src/Roles, plus the basic sales privileges solution/README.md tells admins to combine it with.
        var admin = org.GetService();
        var sellerRole = admin.RetrieveMultiple(new Microsoft.Xrm.Sdk.Query.QueryByAttribute("role") { Attributes = { "name" }, Values = { "PartnerGuard Seller" } }).Entities.Single().Id;
        RoleAssignments.Give(org, seller, sellerRole);
        RoleAssignments.Give(org, seller, RoleAssignments.Define(org, "Salesperson", [
            ("prvCreateOpportunity", PrivilegeDepth.Basic), ("prvReadOpportunity", PrivilegeDepth.Global), ("prvWriteOpportunity", PrivilegeDepth.Basic),
            ("prvAppendOpportunity", PrivilegeDepth.Basic), ("prvReadAccount", PrivilegeDepth.Global), ("prvAppendToAccount", PrivilegeDepth.Global),
            ("prvReadContact", PrivilegeDepth.Global), ("prvAppendToContact", PrivilegeDepth.Global), ("prvReadTransactionCurrency", PrivilegeDepth.Global)]));
        var host = await DataverseWebApi.StartAsync(org, "http://127.0.0.1:0", new DataverseWebApiOptions
        {
            Tokens = new Dictionary<string, Guid> { [SellerToken] = seller },
            RequireKnownToken = true,
        });
        return new EmulatedWebApi(org, host, seller);
    }

    /// <summary>A row written as the administrator would set it up (through the pipeline, so rules are validated).</summary>
    public Guid Add(Entity row) => Org.GetService().Create(row);

    /// <summary>Passes a request the page made to its own origin on to the emulator's host, unchanged, as the seller.</summary>
    public async Task ForwardAsync(HttpListenerContext context)
    {
        var relative = context.Request.RawUrl![HarnessServer.WebApiPath.Length..];
        using var request = new HttpRequestMessage(new HttpMethod(context.Request.HttpMethod), relative);
        if (context.Request.HasEntityBody)
        {
            using var body = new MemoryStream();
            await context.Request.InputStream.CopyToAsync(body);
            request.Content = new ByteArrayContent(body.ToArray());
            request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(context.Request.ContentType ?? "application/json");
        }

        foreach (var name in new[] { "Accept", "Prefer", "OData-Version", "OData-MaxVersion" })
        {
            if (context.Request.Headers[name] is { } value)
            {
                request.Headers.TryAddWithoutValidation(name, value);
            }
        }

        using var response = await Http.SendAsync(request);
        context.Response.StatusCode = (int)response.StatusCode;
        context.Response.ContentType = response.Content.Headers.ContentType?.ToString();
        var bytes = await response.Content.ReadAsByteArrayAsync();
        await context.Response.OutputStream.WriteAsync(bytes);
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await _host.DisposeAsync();
    }
}
