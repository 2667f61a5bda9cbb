using Microsoft.Xrm.Sdk;
using Microsoft.Xrm.Sdk.Messages;
using Microsoft.Xrm.Sdk.Query;
using PartnerGuard.Emulator.Pipeline;
using PartnerGuard.Emulator.Tests.Support;
using PartnerGuard.Testing;

namespace PartnerGuard.Emulator.Tests.Pipeline;

/// <summary>
/// The event pipeline (learn.microsoft.com/power-apps/developer/data-platform/event-framework and
/// .../understand-the-data-context): stages 10/20/40 in rank order, images, filtering attributes, depth,
/// shared variables, rollback of every write when a synchronous step fails, and asynchronous steps after commit.
/// </summary>
public sealed class PipelineTests
{
    public PipelineTests()
    {
        RecordingPlugin.Reset();
        SharedVariablePlugin.Seen.Clear();
    }

    private static PluginStep Step<T>(string message, string table, PipelineStage stage, string? config = null, int rank = 1,
        StepMode mode = StepMode.Synchronous, string[]? filtering = null, StepImage[]? images = null)
        where T : IPlugin
        => new(typeof(T), message, table, stage)
        {
            Rank = rank,
            Mode = mode,
            UnsecureConfiguration = config,
            FilteringAttributes = filtering ?? Array.Empty<string>(),
            Images = images ?? Array.Empty<StepImage>(),
        };

    // Steps run by stage (10, 20, 40) and by rank within a stage.
    [Fact]
    public void Steps_RunInStageThenRankOrder()
    {
        var org = DataverseOrg.Create();
        org.RegisterStep(Step<RecordingPlugin>("Create", "account", PipelineStage.PostOperation, "post"));
        org.RegisterStep(Step<RecordingPlugin>("Create", "account", PipelineStage.PreOperation, "pre-b", rank: 2));
        org.RegisterStep(Step<RecordingPlugin>("Create", "account", PipelineStage.PreOperation, "pre-a", rank: 1));
        org.RegisterStep(Step<RecordingPlugin>("Create", "account", PipelineStage.PreValidation, "validate"));
        org.RegisterStep(Step<RecordingPlugin>("Create", "contact", PipelineStage.PreOperation, "other-table"));

        org.GetService().Create(new Entity("account") { ["name"] = "A" });

        Assert.Equal(new[] { "validate:Create:10:1", "pre-a:Create:20:1", "pre-b:Create:20:1", "post:Create:40:1" }, RecordingPlugin.Calls);
    }

    // Context facts: InputParameters is the request's Parameters (Target), PostOperation sees OutputParameters["id"]
    // and PrimaryEntityId; stage 10 of a top-level request is outside the transaction, 20 and 40 inside.
    [Fact]
    public void Context_CarriesInputOutputIdsAndTransactionFlag()
    {
        var org = DataverseOrg.Create();
        var user = RoleAssignments.CreateAdministrator(org, "Caller");
        org.RegisterStep(Step<RecordingPlugin>("Create", "account", PipelineStage.PreValidation, "10"));
        org.RegisterStep(Step<RecordingPlugin>("Create", "account", PipelineStage.PreOperation, "20"));
        org.RegisterStep(Step<RecordingPlugin>("Create", "account", PipelineStage.PostOperation, "40"));

        var id = org.GetService(user).Create(new Entity("account") { ["name"] = "A" });

        var (validation, pre, post) = (RecordingPlugin.Contexts[0], RecordingPlugin.Contexts[1], RecordingPlugin.Contexts[2]);
        Assert.False(validation.IsInTransaction);
        Assert.True(pre.IsInTransaction);
        Assert.True(post.IsInTransaction);
        Assert.Equal("A", ((Entity)pre.InputParameters["Target"])["name"]);
        Assert.Equal(id, post.OutputParameters["id"]);
        Assert.Equal(id, post.PrimaryEntityId);
        Assert.Equal("account", post.PrimaryEntityName);
        Assert.Equal(user, post.UserId);
        Assert.Equal(user, post.InitiatingUserId);
        Assert.Equal(org.OrganizationId, post.OrganizationId);
        Assert.Equal(0, post.Mode);
        Assert.Null(post.ParentContext);
        Assert.Equal(validation.CorrelationId, post.CorrelationId);
    }

    // GetService answers every context interface (IPluginExecutionContext..4, IExecutionContext), tracing and the factory.
    [Fact]
    public void ServiceProvider_AnswersContextInterfaces()
    {
        var org = DataverseOrg.Create();
        var probe = new ProbePlugin();
        org.RegisterStep(new PluginStep(probe, "Create", "account", PipelineStage.PreOperation));
        org.GetService().Create(new Entity("account") { ["name"] = "A" });
        Assert.True(probe.Answered);
        Assert.Contains(org.TraceLog, line => line.Text == "probe 1");
    }

    private sealed class ProbePlugin : IPlugin
    {
        public bool Answered { get; private set; }

        public void Execute(IServiceProvider serviceProvider)
        {
            Answered = serviceProvider.GetService(typeof(IPluginExecutionContext)) is IPluginExecutionContext
                && serviceProvider.GetService(typeof(IPluginExecutionContext4)) is IPluginExecutionContext4
                && serviceProvider.GetService(typeof(IPluginExecutionContext2)) is IPluginExecutionContext2
                && serviceProvider.GetService(typeof(IExecutionContext)) is IExecutionContext
                && serviceProvider.GetService(typeof(IOrganizationServiceFactory)) is IOrganizationServiceFactory
                && serviceProvider.GetService(typeof(string)) is null;
            ((ITracingService)serviceProvider.GetService(typeof(ITracingService))!).Trace("probe {0}", 1);
        }
    }

    // A PreOperation step can change the Target; the core operation stores the changed value.
    // Constructors: (unsecure, secure) is used when present.
    [Fact]
    public void PreOperation_ChangesToTarget_AreStored()
    {
        var org = DataverseOrg.Create();
        org.RegisterStep(new PluginStep(typeof(SetDescriptionPlugin), "Create", "account", PipelineStage.PreOperation)
        {
            UnsecureConfiguration = "open",
            SecureConfiguration = "secret",
        });
        var service = org.GetService();
        var id = service.Create(new Entity("account") { ["name"] = "A" });
        Assert.Equal("open|secret", service.Retrieve("account", id, new ColumnSet("description"))["description"]);
    }

    // Images: a pre image holds the row before the operation, a post image the row after it (PostOperation only);
    // each carries only its registered columns, under its alias.
    [Fact]
    public void Update_PreAndPostImages_HoldRegisteredColumns()
    {
        var org = DataverseOrg.Create();
        var service = org.GetService();
        var id = service.Create(new Entity("account") { ["name"] = "Before", ["telephone1"] = "1", ["accountnumber"] = "N" });
        org.RegisterStep(Step<RecordingPlugin>("Update", "account", PipelineStage.PostOperation, "post", images: new[]
        {
            new StepImage("PreImage", ImageType.PreImage, new[] { "name", "telephone1" }),
            new StepImage("PostImage", ImageType.PostImage, Array.Empty<string>()),
        }));

        service.Update(new Entity("account", id) { ["name"] = "After" });

        var context = Assert.Single(RecordingPlugin.Contexts);
        var pre = context.PreEntityImages["PreImage"];
        Assert.Equal("Before", pre["name"]);
        Assert.Equal("1", pre["telephone1"]);
        Assert.False(pre.Contains("accountnumber"));
        var post = context.PostEntityImages["PostImage"];
        Assert.Equal("After", post["name"]);
        Assert.Equal("N", post["accountnumber"]);
        // The Target carries only the changed columns.
        Assert.Single(((Entity)context.InputParameters["Target"]).Attributes);
    }

    // Platform rule: no pre image on Create, post images only in PostOperation (register-plug-in.md).
    [Fact]
    public void InvalidImageRegistrations_AreRefused()
    {
        var org = DataverseOrg.Create();
        Assert.Throws<ArgumentException>(() => org.RegisterStep(Step<RecordingPlugin>("Create", "account", PipelineStage.PostOperation,
            images: new[] { new StepImage("Pre", ImageType.PreImage, Array.Empty<string>()) })));
        Assert.Throws<ArgumentException>(() => org.RegisterStep(Step<RecordingPlugin>("Update", "account", PipelineStage.PreOperation,
            images: new[] { new StepImage("Post", ImageType.PostImage, Array.Empty<string>()) })));
        Assert.Throws<ArgumentException>(() => org.RegisterStep(Step<RecordingPlugin>("Update", "account", PipelineStage.PreOperation,
            mode: StepMode.Asynchronous)));
    }

    // Filtering attributes: an Update step fires only when the Target contains one of them.
    [Fact]
    public void FilteringAttributes_SelectUpdates()
    {
        var org = DataverseOrg.Create();
        var service = org.GetService();
        var id = service.Create(new Entity("account") { ["name"] = "A" });
        org.RegisterStep(Step<RecordingPlugin>("Update", "account", PipelineStage.PreOperation, "filtered", filtering: new[] { "revenue", "parentaccountid" }));

        service.Update(new Entity("account", id) { ["telephone1"] = "1" });
        Assert.Empty(RecordingPlugin.Calls);
        service.Update(new Entity("account", id) { ["revenue"] = new Money(1m) });
        Assert.Single(RecordingPlugin.Calls);
    }

    // An InvalidPluginExecutionException reaches the caller as FaultException<OrganizationServiceFault> with
    // IsvAborted (-2147220891) and the plugin's message; any other exception is IsvUnExpected.
    [Fact]
    public void PluginExceptions_SurfaceAsPlatformFaults()
    {
        var org = DataverseOrg.Create();
        org.RegisterStep(Step<ThrowingPlugin>("Create", "account", PipelineStage.PreOperation, "No partner on this deal."));
        org.RegisterStep(Step<CrashingPlugin>("Create", "contact", PipelineStage.PreOperation));
        var service = org.GetService();

        var aborted = Faults.Expect(OrgErrorCodes.IsvAborted, () => service.Create(new Entity("account") { ["name"] = "A" }));
        Assert.Equal("No partner on this deal.", aborted.Message);
        var unexpected = Faults.Expect(OrgErrorCodes.IsvUnExpected, () => service.Create(new Entity("contact") { ["lastname"] = "B" }));
        Assert.Contains("boom", unexpected.Message);
        Assert.Equal(0, org.Count("account"));
        Assert.Equal(0, org.Count("contact"));
    }

    // A synchronous failure at any stage rolls back every write of the operation, nested writes included
    // (event-framework.md: an exception in a synchronous step within the transaction rolls the whole transaction back).
    [Theory]
    [InlineData(PipelineStage.PreOperation)]
    [InlineData(PipelineStage.PostOperation)]
    public void FailureInTransaction_RollsBackEverything(PipelineStage failingStage)
    {
        var org = DataverseOrg.Create();
        org.RegisterStep(Step<NestedCreatePlugin>("Create", "account", PipelineStage.PreOperation, "nested in 20", rank: 1));
        org.RegisterStep(Step<NestedCreatePlugin>("Create", "account", PipelineStage.PostOperation, "nested in 40", rank: 1));
        org.RegisterStep(Step<ThrowingPlugin>("Create", "account", failingStage, "stop", rank: 2));

        Faults.Expect(OrgErrorCodes.IsvAborted, () => org.GetService().Create(new Entity("account") { ["name"] = "A" }));

        Assert.Equal(0, org.Count("account"));
        Assert.Equal(0, org.Count("contact"));
    }

    // Stage 10 of a top-level request runs before the transaction: a failure there writes nothing of the
    // operation, but a write a PreValidation step made itself was its own top-level operation and stays.
    [Fact]
    public void FailureInPreValidation_StopsBeforeTheTransaction()
    {
        var org = DataverseOrg.Create();
        org.RegisterStep(Step<NestedCreatePlugin>("Create", "account", PipelineStage.PreValidation, "outside", rank: 1));
        org.RegisterStep(Step<ThrowingPlugin>("Create", "account", PipelineStage.PreValidation, "stop", rank: 2));
        org.RegisterStep(Step<RecordingPlugin>("Create", "account", PipelineStage.PreOperation, "never"));

        Faults.Expect(OrgErrorCodes.IsvAborted, () => org.GetService().Create(new Entity("account") { ["name"] = "A" }));

        Assert.Equal(0, org.Count("account"));
        Assert.Equal(1, org.Count("contact"));
        Assert.Empty(RecordingPlugin.Calls);
    }

    // A nested request inherits the caller's depth + 1; its own steps see ParentContext and the shared variables.
    [Fact]
    public void NestedCalls_IncrementDepthAndCarrySharedVariables()
    {
        var org = DataverseOrg.Create();
        org.RegisterStep(Step<SharedVariablePlugin>("Create", "account", PipelineStage.PostOperation));
        org.RegisterStep(Step<SharedVariablePlugin>("Create", "contact", PipelineStage.PreOperation));

        org.GetService().Create(new Entity("account") { ["name"] = "A" });

        Assert.Equal(new[] { "2:from-account:account" }, SharedVariablePlugin.Seen);
    }

    // Depth above 8 is treated as an infinite loop and the request fails (IExecutionContext.Depth documentation);
    // the whole chain rolls back.
    [Fact]
    public void LoopLimit_StopsAtDepthEight()
    {
        var org = DataverseOrg.Create();
        var service = org.GetService();
        var id = service.Create(new Entity("account") { ["name"] = "A" });
        org.RegisterStep(Step<LoopingPlugin>("Update", "account", PipelineStage.PostOperation));

        var fault = Faults.Expect(OrgErrorCodes.InfiniteLoopDetected, () => service.Update(new Entity("account", id) { ["telephone1"] = "1" }));
        Assert.Contains("infinite loop", fault.Message);
        var row = service.Retrieve("account", id, new ColumnSet("telephone1", "description"));
        Assert.False(row.Contains("telephone1"));
        Assert.False(row.Contains("description"));
    }

    // A fault from a nested call that the plugin lets escape reaches the caller unchanged (here ObjectDoesNotExist).
    [Fact]
    public void NestedFault_PassesThroughUnchanged()
    {
        var org = DataverseOrg.Create();
        org.RegisterStep(Step<RetrieveMissingPlugin>("Create", "contact", PipelineStage.PreOperation));
        Faults.Expect(OrgErrorCodes.ObjectDoesNotExist, () => org.GetService().Create(new Entity("contact") { ["lastname"] = "x" }));
    }

    // A plugin that catches a failed nested request inside the transaction cannot save the operation: the platform
    // has doomed the transaction ("There is no active transaction", troubleshoot-plug-in docs); in stage 10 of a
    // top-level request there is no transaction yet, so the same plugin does no harm there.
    [Fact]
    public void SwallowedNestedFault_DoomsTheTransaction()
    {
        var org = DataverseOrg.Create();
        org.RegisterStep(Step<SwallowingPlugin>("Create", "contact", PipelineStage.PreOperation));
        org.RegisterStep(Step<SwallowingPlugin>("Create", "account", PipelineStage.PreValidation));

        Faults.Expect(OrgErrorCodes.NoActiveTransaction, () => org.GetService().Create(new Entity("contact") { ["lastname"] = "x" }));
        Assert.Equal(0, org.Count("contact"));

        org.GetService().Create(new Entity("account") { ["name"] = "fine" });
        Assert.Equal(1, org.Count("account"));
        // The next operation starts clean.
        org.ClearSteps();
        org.GetService().Create(new Entity("contact") { ["lastname"] = "y" });
        Assert.Equal(1, org.Count("contact"));
    }

    // The factory's services run as the user asked for: the nested row's createdby and ownerid are that user.
    [Fact]
    public void Factory_RunsAsTheGivenUser()
    {
        var org = DataverseOrg.Create();
        var other = RoleAssignments.CreateAdministrator(org, "Other User");
        org.RegisterStep(Step<CreateAsUserPlugin>("Create", "account", PipelineStage.PostOperation, other.ToString()));
        org.GetService().Create(new Entity("account") { ["name"] = "A" });
        var contact = Assert.Single(org.GetService().RetrieveMultiple(new QueryExpression("contact") { ColumnSet = new ColumnSet("createdby", "ownerid") }).Entities);
        Assert.Equal(other, contact.GetAttributeValue<EntityReference>("createdby").Id);
        Assert.Equal(other, contact.GetAttributeValue<EntityReference>("ownerid").Id);
    }

    // learn.microsoft.com/dotnet/api/microsoft.xrm.sdk.iorganizationservicefactory.createorganizationservice: "When called
    // in a plug-in, a null value indicates the SYSTEM user and a Guid.Empty value indicates the same user as
    // IPluginExecutionContext.UserId." The emulator's SYSTEM is its built-in administrator, never the calling seller.
    [Fact]
    public void Factory_NullUser_RunsAsSystem()
    {
        var org = DataverseOrg.Create();
        var seller = RoleAssignments.CreateAdministrator(org, "Sam Seller");
        org.RegisterStep(Step<CreateAsUserPlugin>("Create", "account", PipelineStage.PostOperation, "null"));
        org.GetService(seller).Create(new Entity("account") { ["name"] = "A" });
        var contact = Assert.Single(org.GetService().RetrieveMultiple(new QueryExpression("contact") { ColumnSet = new ColumnSet("createdby") }).Entities);
        Assert.Equal(org.AdministratorId, contact.GetAttributeValue<EntityReference>("createdby").Id);
    }

    // Same page: Guid.Empty is the context's UserId (here the seller who created the account).
    [Fact]
    public void Factory_EmptyUser_RunsAsTheContextUser()
    {
        var org = DataverseOrg.Create();
        var seller = RoleAssignments.CreateAdministrator(org, "Sam Seller");
        org.RegisterStep(Step<CreateAsUserPlugin>("Create", "account", PipelineStage.PostOperation, Guid.Empty.ToString()));
        org.GetService(seller).Create(new Entity("account") { ["name"] = "A" });
        var contact = Assert.Single(org.GetService().RetrieveMultiple(new QueryExpression("contact") { ColumnSet = new ColumnSet("createdby") }).Entities);
        Assert.Equal(seller, contact.GetAttributeValue<EntityReference>("createdby").Id);
    }

    // Plugin instances are created once per step and reused (the platform caches them; plugins must be stateless).
    [Fact]
    public void PluginInstances_AreCachedPerStep()
    {
        var org = DataverseOrg.Create();
        var constructedBefore = CountingPlugin.Constructed;
        org.RegisterStep(Step<CountingPlugin>("Create", "account", PipelineStage.PreOperation));
        for (var i = 0; i < 5; i++)
        {
            org.GetService().Create(new Entity("account") { ["name"] = "A" + i });
        }

        Assert.Equal(constructedBefore + 1, CountingPlugin.Constructed);
    }

    // Asynchronous steps run after commit, only when the queue is processed, and cannot roll back the operation;
    // a failed asynchronous step is recorded like a System Job. Rolled-back operations queue nothing.
    [Fact]
    public void AsyncSteps_RunAfterCommitAndCannotRollBack()
    {
        var org = DataverseOrg.Create();
        org.RegisterStep(Step<RecordingPlugin>("Create", "account", PipelineStage.PostOperation, "async", mode: StepMode.Asynchronous));
        org.RegisterStep(Step<ThrowingPlugin>("Create", "account", PipelineStage.PostOperation, "async failure", mode: StepMode.Asynchronous, rank: 2));

        var id = org.GetService().Create(new Entity("account") { ["name"] = "A" });
        Assert.Empty(RecordingPlugin.Calls);
        Assert.Equal(2, org.PendingAsyncOperations);

        Assert.Equal(2, org.ProcessAsyncOperations());
        Assert.Equal(new[] { "async:Create:40:1" }, RecordingPlugin.Calls);
        Assert.Equal(1, RecordingPlugin.Contexts[0].Mode);
        Assert.False(RecordingPlugin.Contexts[0].IsInTransaction);
        Assert.Equal(1, org.Count("account"));
        var failed = Assert.Single(org.AsyncOperations, o => !o.Succeeded);
        Assert.Equal("async failure", failed.Message);
        Assert.Equal(id, failed.PrimaryEntityId);

        org.RegisterStep(Step<ThrowingPlugin>("Create", "contact", PipelineStage.PostOperation, "sync failure"));
        org.RegisterStep(Step<RecordingPlugin>("Create", "contact", PipelineStage.PostOperation, "queued then dropped", mode: StepMode.Asynchronous));
        Faults.Expect(OrgErrorCodes.IsvAborted, () => org.GetService().Create(new Entity("contact") { ["lastname"] = "x" }));
        Assert.Equal(0, org.PendingAsyncOperations);
    }

    // Merged pipeline: CreateMultiple/UpdateMultiple fire the Create/Update steps once per item, and the
    // *Multiple steps with the whole collection; images for *Multiple steps come through IPluginExecutionContext4
    // arrays aligned with Targets (write-plugin-multiple-operation.md).
    [Fact]
    public void BulkMessages_FireSingleStepsPerItemAndMultipleStepsOnce()
    {
        var org = DataverseOrg.Create();
        var service = org.GetService();
        org.RegisterStep(Step<RecordingPlugin>("Create", "account", PipelineStage.PreOperation, "single"));
        org.RegisterStep(Step<RecordingPlugin>("CreateMultiple", "account", PipelineStage.PreOperation, "multiple"));

        var targets = new EntityCollection(new List<Entity> { new("account") { ["name"] = "A" }, new("account") { ["name"] = "B" } }) { EntityName = "account" };
        var created = (CreateMultipleResponse)service.Execute(new CreateMultipleRequest { Targets = targets });
        Assert.Equal(2, created.Ids.Length);
        Assert.Equal(new[] { "multiple:CreateMultiple:20:1", "single:Create:20:1", "single:Create:20:1" }, RecordingPlugin.Calls);

        // A single Create also fires the CreateMultiple step, with a one-item Targets.
        RecordingPlugin.Reset();
        service.Create(new Entity("account") { ["name"] = "C" });
        Assert.Equal(new[] { "single:Create:20:1", "multiple:CreateMultiple:20:1" }, RecordingPlugin.Calls);
        Assert.Single(((EntityCollection)RecordingPlugin.Contexts[1].InputParameters["Targets"]).Entities);

        RecordingPlugin.Reset();
        org.RegisterStep(Step<RecordingPlugin>("UpdateMultiple", "account", PipelineStage.PostOperation, "update-multiple",
            images: new[] { new StepImage("PreImage", ImageType.PreImage, new[] { "name" }) }));
        var updates = new EntityCollection(created.Ids.Select(id => new Entity("account", id) { ["telephone1"] = "9" }).ToList()) { EntityName = "account" };
        service.Execute(new UpdateMultipleRequest { Targets = updates });
        var context = Assert.Single(RecordingPlugin.Contexts);
        Assert.Equal(2, context.PreEntityImagesCollection.Length);
        Assert.Equal("A", context.PreEntityImagesCollection[0]["PreImage"]["name"]);
        Assert.Equal("B", context.PreEntityImagesCollection[1]["PreImage"]["name"]);
    }

    // BypassCustomPluginExecution skips custom steps.
    [Fact]
    public void Bypass_SkipsSteps()
    {
        var org = DataverseOrg.Create();
        org.RegisterStep(Step<ThrowingPlugin>("Create", "account", PipelineStage.PreOperation, "blocked"));
        org.GetService(new RequestOptions { BypassCustomPluginExecution = true }).Create(new Entity("account") { ["name"] = "A" });
        Assert.Equal(1, org.Count("account"));
    }
}
