using System.ServiceModel;
using Microsoft.Xrm.Sdk;
using PartnerGuard.Emulator.Messages;
using PartnerGuard.Emulator.Metadata;
using PartnerGuard.Emulator.Pipeline;
using PartnerGuard.Emulator.Storage;

namespace PartnerGuard.Emulator;

/// <summary>The event pipeline: stages 10/20/30/40, images, depth, shared variables, rollback and the async queue.</summary>
public sealed partial class DataverseOrg
{
    private readonly List<(PluginStep Step, PluginContext Context)> _pendingAsync = new();
    private readonly Queue<(PluginStep Step, PluginContext Context)> _asyncQueue = new();
    private readonly List<AsyncOperationResult> _asyncResults = new();
    private bool _transactionDoomed;

    /// <summary>Asynchronous step executions waiting to run (they run when <see cref="ProcessAsyncOperations"/> is called).</summary>
    public int PendingAsyncOperations
    {
        get
        {
            using (Gate.Read())
            {
                return _asyncQueue.Count;
            }
        }
    }

    /// <summary>Outcomes of asynchronous step executions run so far (like System Job records).</summary>
    public IReadOnlyList<AsyncOperationResult> AsyncOperations
    {
        get
        {
            using (Gate.Read())
            {
                return _asyncResults.ToArray();
            }
        }
    }

    /// <summary>
    /// Runs queued asynchronous steps (and any they queue in turn) until the queue is empty. A failing
    /// asynchronous step is recorded in <see cref="AsyncOperations"/>; it never affects the operation that queued it.
    /// Returns the number of executions run.
    /// </summary>
    public int ProcessAsyncOperations()
    {
        var count = 0;
        while (true)
        {
            using (Gate.Write())
            {
                if (_asyncQueue.Count == 0)
                {
                    return count;
                }

                var (step, context) = _asyncQueue.Dequeue();
                count++;
                try
                {
                    InvokeStep(step, context);
                    _asyncResults.Add(new AsyncOperationResult(step.Name, context.MessageName, context.PrimaryEntityId, true, null));
                }
                catch (FaultException<OrganizationServiceFault> fault)
                {
                    _asyncResults.Add(new AsyncOperationResult(step.Name, context.MessageName, context.PrimaryEntityId, false, fault.Detail.Message));
                }
                finally
                {
                    FlushAsyncIfCommitted();
                }
            }
        }
    }

    /// <summary>
    /// Runs a request. The request is copied first (as crossing the service boundary does), unless
    /// <paramref name="requestOwned"/> says the caller built it for this call alone and never looks at it again (the
    /// Web API front, which reads every request fresh from JSON): then no one else can hold a reference to it, and
    /// the copy would only cost time.
    /// </summary>
    internal OrganizationResponse Execute(OrganizationRequest request, CallerContext caller, bool requestOwned = false)
    {
        if (request is null)
        {
            throw OrgFaults.InvalidArgument("The request is null.");
        }

        // A top-level read that no plugin step can see runs under the shared lock, in parallel with other reads
        // (OrgGate). The check is made while the lock is held, so no step can be registered in between.
        if (caller.Parent is null && !Gate.IsWriteHeld && MessageRegistry.Find(request.RequestName) is { IsRead: true } read)
        {
            using (Gate.Read())
            {
                if (!StepsMaySee(read, request, caller))
                {
                    return ExecuteRead(read, request, caller, requestOwned);
                }
            }
        }

        using (Gate.Write())
        {
            try
            {
                return Dispatch(requestOwned ? request : RequestCloner.Clone(request), caller);
            }
            catch (FaultException<OrganizationServiceFault>)
            {
                // A failed request made from a plugin inside the transaction dooms that transaction, even if the
                // plugin catches the fault and carries on.
                if (caller.Parent is not null && Store.OpenTransactions > 0)
                {
                    _transactionDoomed = true;
                }

                throw;
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                // The emulator never crashes a caller: anything unexpected surfaces as a platform fault.
                throw OrgFaults.Create(OrgErrorCodes.InvalidArgument, $"The request '{request.RequestName}' failed: {ex.Message}");
            }
            finally
            {
                if (Store.OpenTransactions == 0)
                {
                    _transactionDoomed = false;
                }

                FlushAsyncIfCommitted();
            }
        }
    }

    /// <summary>
    /// True when a plugin step (of any stage or mode) may run for this read, so it must run as a writer: a plugin
    /// may write, and its nested calls need the exclusive lock. Unknown or malformed requests also answer true,
    /// so they get the full pipeline's validation.
    /// </summary>
    private bool StepsMaySee(MessageHandler handler, OrganizationRequest request, CallerContext caller)
    {
        if (caller.BypassPlugins || handler is not PipelineMessageHandler pipelined || _steps.Count == 0)
        {
            return false;
        }

        string? table;
        try
        {
            table = pipelined.TableSeenBySteps(request);
        }
        catch (FaultException<OrganizationServiceFault>)
        {
            return true;
        }

        if (table is null)
        {
            return true;
        }

        return _steps.AnySees(request.RequestName, table);
    }

    /// <summary>
    /// Runs a read that no plugin step sees, under the shared lock: the same validation and main operation as the
    /// pipeline (the handler's Describe and Execute), without stages, savepoints or the async queue, none of which a read
    /// without steps uses, so nothing shared is changed.
    /// </summary>
    private OrganizationResponse ExecuteRead(MessageHandler handler, OrganizationRequest request, CallerContext caller, bool requestOwned)
    {
        try
        {
            if (caller.DemandsBypass)
            {
                Security.DemandPrivilege(caller, PartnerGuard.Emulator.Security.Privileges.BypassCustomPlugins);
            }

            var copy = requestOwned ? request : RequestCloner.Clone(request);
            ParallelReadProbe?.Invoke(copy);
            return handler is PipelineMessageHandler pipelined
                ? pipelined.Execute(this, copy, pipelined.Describe(this, copy, caller), caller)
                : handler.Run(this, copy, caller);
        }
        catch (FaultException<OrganizationServiceFault>)
        {
            throw;
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            throw OrgFaults.Create(OrgErrorCodes.InvalidArgument, $"The request '{request.RequestName}' failed: {ex.Message}");
        }
    }

    /// <summary>Closes one transaction level; the outermost level refuses to commit a doomed transaction.</summary>
    internal void CommitLevel()
    {
        if (_transactionDoomed && Store.OpenTransactions == 1)
        {
            throw OrgFaults.Create(OrgErrorCodes.NoActiveTransaction,
                "There is no active transaction. This error is usually caused by custom plug-ins that ignore errors from service calls and continue processing.");
        }

        Store.Commit();
    }

    private void FlushAsyncIfCommitted()
    {
        if (Store.OpenTransactions == 0 && _pendingAsync.Count > 0)
        {
            foreach (var item in _pendingAsync)
            {
                _asyncQueue.Enqueue(item);
            }

            _pendingAsync.Clear();
        }
    }

    /// <summary>Runs a request (already copied) through its message handler, refusing calls nested too deep.</summary>
    internal OrganizationResponse Dispatch(OrganizationRequest request, CallerContext caller)
    {
        if (caller.DemandsBypass && caller.Parent is null)
        {
            Security.DemandPrivilege(caller, PartnerGuard.Emulator.Security.Privileges.BypassCustomPlugins);
        }

        if (caller.Depth > Options.MaxDepth)
        {
            throw OrgFaults.Create(OrgErrorCodes.InfiniteLoopDetected,
                $"This workflow job was canceled because the workflow that started it included an infinite loop. Correct the workflow logic and try again. (Depth {caller.Depth} exceeds the maximum depth of {Options.MaxDepth}; request '{request.RequestName}'.)");
        }

        if (MessageRegistry.Find(request.RequestName) is { } handler)
        {
            return handler.Run(this, request, caller);
        }

        if (FindCustomApi(request.RequestName) is { } api)
        {
            return CustomApiHandler.Run(this, api, request, caller);
        }

        return MessageRegistry.Get(request.RequestName).Run(this, request, caller);
    }

    /// <summary>
    /// Runs a Custom API's plug-in type as the main operation (stage 30) of its message and returns the output parameters
    /// it set. The context is the platform's for an unbound API: primary entity "none", the request's parameters as input.
    /// </summary>
    internal ParameterCollection RunMainOperation(PluginStep step, OrganizationRequest request, CallerContext caller)
    {
        var output = new ParameterCollection();
        var context = new PluginContext
        {
            Mode = (int)StepMode.Synchronous,
            Depth = caller.Depth,
            MessageName = request.RequestName,
            PrimaryEntityName = "none",
            RequestId = request.RequestId,
            InputParameters = request.Parameters,
            OutputParameters = output,
            SharedVariables = new ParameterCollection(),
            UserId = caller.UserId,
            InitiatingUserId = caller.InitiatingUserId,
            BusinessUnitId = BusinessUnitOf(caller.UserId),
            OrganizationId = OrganizationId,
            OrganizationName = Options.OrganizationName,
            CorrelationId = caller.Parent?.CorrelationId ?? Guid.NewGuid(),
            IsInTransaction = true,
            OperationId = Guid.NewGuid(),
            OperationCreatedOn = Now(),
            Stage = (int)PipelineStage.MainOperation,
            ParentContext = caller.Parent,
            AuthenticatedUserId = caller.InitiatingUserId,
            Step = step,
            BypassPlugins = caller.BypassPlugins,
        };
        InvokeStep(step, context);
        return output;
    }

    /// <summary>A transaction level opened by <see cref="BeginLevel"/>: the store's savepoint and the async queue's length.</summary>
    internal readonly record struct Level(int Savepoint, int AsyncMark);

    /// <summary>Opens a transaction level (a savepoint) for a batch that commits or rolls back as a whole.</summary>
    internal Level BeginLevel() => new(Store.Savepoint(), _pendingAsync.Count);

    /// <summary>Undoes everything written and queued since the level was opened.</summary>
    internal void RollbackLevel(Level level)
    {
        Store.RollbackTo(level.Savepoint);
        _pendingAsync.RemoveRange(level.AsyncMark, _pendingAsync.Count - level.AsyncMark);
    }

    /// <summary>Runs a request made inside another operation (Upsert's Create or Update, Associate's Updates) through the pipeline.</summary>
    internal OrganizationResponse RunPipeline(OrganizationRequest request, CallerContext caller)
        => RunPipeline((PipelineMessageHandler)MessageRegistry.Get(request.RequestName), request, caller);

    /// <summary>Stages 10, 20, the main operation, 40 and the async queue, rolled back as one level on any failure.</summary>
    internal OrganizationResponse RunPipeline(PipelineMessageHandler handler, OrganizationRequest request, CallerContext caller)
    {
        var operation = handler.Describe(this, request, caller);
        var shared = new ParameterCollection();
        if (caller.Parent is not null)
        {
            foreach (var pair in caller.Parent.SharedVariables)
            {
                shared[pair.Key] = pair.Value;
            }
        }

        var scope = new OperationScope(
            caller,
            shared,
            CorrelationId: caller.Parent?.CorrelationId ?? Guid.NewGuid(),
            OperationId: Guid.NewGuid(),
            CreatedOn: Now(),
            RequestId: request.RequestId);

        // Stage 10 runs before the transaction opens when this is the top-level operation.
        RunStage(PipelineStage.PreValidation, operation, scope, inTransaction: Store.OpenTransactions > 0);

        var level = BeginLevel();
        try
        {
            RunStage(PipelineStage.PreOperation, operation, scope, inTransaction: true);
            var response = handler.Execute(this, request, operation, caller);
            RunStage(PipelineStage.PostOperation, operation, scope, inTransaction: true);
            QueueAsync(operation, scope);
            CommitLevel();
            return response;
        }
        catch
        {
            RollbackLevel(level);
            throw;
        }
    }

    /// <summary>
    /// Merged pipeline: a single Create/Update also fires the CreateMultiple/UpdateMultiple steps of the table,
    /// with a one-item Targets (learn.microsoft.com/power-apps/developer/data-platform/write-plugin-multiple-operation).
    /// </summary>
    internal void AddCompanion(List<Invocation> list, string message, TableMetadata table, Entity target, CallerContext caller, Row? pre = null)
    {
        if (caller.BypassPlugins || !_steps.AnyFor(message, table.LogicalName))
        {
            return;
        }

        var targets = new EntityCollection(new List<Entity> { target }) { EntityName = table.LogicalName };
        list.Add(new Invocation
        {
            Message = message,
            Table = table,
            Input = new ParameterCollection { ["Targets"] = targets },
            PreRows = pre is null ? null : new[] { pre },
        });
    }

    private sealed record OperationScope(CallerContext Caller, ParameterCollection Shared, Guid CorrelationId, Guid OperationId, DateTime CreatedOn, Guid? RequestId);

    private PluginStep[] StepsFor(Invocation invocation, PipelineStage stage, StepMode mode, CallerContext caller)
    {
        if (caller.BypassPlugins)
        {
            return Array.Empty<PluginStep>();
        }

        return _steps.For(invocation.Message, invocation.Table.LogicalName, stage, mode);
    }

    /// <summary>
    /// The steps of one stage for an invocation, reusing the previous invocation's lookup when it has the same message
    /// and table (the items of a bulk request), as the registrations are fixed for the operation (the platform reads
    /// them from its cache once per operation, and a registration made meanwhile applies to later operations).
    /// </summary>
    private PluginStep[] StepsFor(Invocation invocation, PipelineStage stage, StepMode mode, CallerContext caller, ref Invocation? previous, PluginStep[] previousSteps)
    {
        if (previous is not null && ReferenceEquals(previous.Table, invocation.Table) && string.Equals(previous.Message, invocation.Message, StringComparison.Ordinal))
        {
            return previousSteps;
        }

        previous = invocation;
        return StepsFor(invocation, stage, mode, caller);
    }

    private void RunStage(PipelineStage stage, List<Invocation> operation, OperationScope scope, bool inTransaction)
    {
        Invocation? previous = null;
        var steps = Array.Empty<PluginStep>();
        foreach (var invocation in operation)
        {
            steps = StepsFor(invocation, stage, StepMode.Synchronous, scope.Caller, ref previous, steps);
            foreach (var step in steps)
            {
                // Filtering attributes are evaluated when the step is reached, so an earlier step that adds a
                // column to the target can make a later step fire (as Dataverse does).
                if (!FilterMatches(step, invocation))
                {
                    continue;
                }

                InvokeStep(step, BuildContext(step, invocation, stage, scope, inTransaction, StepMode.Synchronous));
            }
        }
    }

    private void QueueAsync(List<Invocation> operation, OperationScope scope)
    {
        Invocation? previous = null;
        var steps = Array.Empty<PluginStep>();
        foreach (var invocation in operation)
        {
            steps = StepsFor(invocation, PipelineStage.PostOperation, StepMode.Asynchronous, scope.Caller, ref previous, steps);
            foreach (var step in steps)
            {
                if (FilterMatches(step, invocation))
                {
                    _pendingAsync.Add((step, BuildContext(step, invocation, PipelineStage.PostOperation, scope, inTransaction: false, StepMode.Asynchronous)));
                }
            }
        }
    }

    private static bool FilterMatches(PluginStep step, Invocation invocation)
    {
        if (step.FilteringAttributes.Count == 0)
        {
            return true;
        }

        if (invocation.Message.Equals("Update", StringComparison.OrdinalIgnoreCase))
        {
            return invocation.Input.TryGetValue("Target", out var target) && target is Entity entity
                && step.FilteringAttributes.Any(entity.Attributes.ContainsKey);
        }

        if (invocation.Message.Equals("UpdateMultiple", StringComparison.OrdinalIgnoreCase))
        {
            return invocation.Input.TryGetValue("Targets", out var targets) && targets is EntityCollection collection
                && collection.Entities.Any(e => step.FilteringAttributes.Any(e.Attributes.ContainsKey));
        }

        return true;
    }

    private PluginContext BuildContext(PluginStep step, Invocation invocation, PipelineStage stage, OperationScope scope, bool inTransaction, StepMode mode)
    {
        var caller = scope.Caller;
        var user = step.ImpersonatingUserId ?? caller.UserId;
        var pre = new EntityImageCollection();
        var post = new EntityImageCollection();
        EntityImageCollection[] preCollection = Array.Empty<EntityImageCollection>();
        EntityImageCollection[] postCollection = Array.Empty<EntityImageCollection>();
        var isPost = stage == PipelineStage.PostOperation;
        foreach (var image in step.Images)
        {
            var wantsPre = image.Type is ImageType.PreImage or ImageType.Both;
            var wantsPost = isPost && image.Type is ImageType.PostImage or ImageType.Both;
            if (wantsPre && invocation.PreRow is not null)
            {
                pre[image.Alias] = ToImage(invocation.Table, invocation.PreRow, image.Columns);
            }

            if (wantsPost && invocation.PostRow is not null)
            {
                post[image.Alias] = ToImage(invocation.Table, invocation.PostRow, image.Columns);
            }
        }

        if (invocation.PreRows is not null && step.Images.Count > 0)
        {
            preCollection = invocation.PreRows.Select(row => ImagesFor(step, invocation.Table, row, ImageType.PreImage)).ToArray();
        }

        if (isPost && invocation.PostRows is not null && step.Images.Count > 0)
        {
            postCollection = invocation.PostRows.Select(row => ImagesFor(step, invocation.Table, row, ImageType.PostImage)).ToArray();
        }

        return new PluginContext
        {
            Mode = (int)mode,
            Depth = caller.Depth,
            MessageName = invocation.Message,
            PrimaryEntityName = invocation.Table.LogicalName,
            PrimaryEntityId = invocation.PrimaryId,
            RequestId = scope.RequestId,
            InputParameters = invocation.Input,
            OutputParameters = isPost ? invocation.Output : new ParameterCollection(),
            SharedVariables = scope.Shared,
            UserId = user,
            InitiatingUserId = caller.InitiatingUserId,
            BusinessUnitId = BusinessUnitOf(user),
            OrganizationId = OrganizationId,
            OrganizationName = Options.OrganizationName,
            PreEntityImages = pre,
            PostEntityImages = post,
            PreEntityImagesCollection = preCollection,
            PostEntityImagesCollection = postCollection,
            CorrelationId = scope.CorrelationId,
            IsInTransaction = inTransaction,
            OperationId = scope.OperationId,
            OperationCreatedOn = scope.CreatedOn,
            Stage = (int)stage,
            ParentContext = caller.Parent,
            AuthenticatedUserId = caller.InitiatingUserId,
            Step = step,
            BypassPlugins = caller.BypassPlugins,
        };
    }

    private EntityImageCollection ImagesFor(PluginStep step, TableMetadata table, Row? row, ImageType wanted)
    {
        var images = new EntityImageCollection();
        if (row is null)
        {
            return images;
        }

        foreach (var image in step.Images.Where(i => i.Type == wanted || i.Type == ImageType.Both))
        {
            images[image.Alias] = ToImage(table, row, image.Columns);
        }

        return images;
    }

    internal Guid BusinessUnitOf(Guid userId)
        => (Store.Find("systemuser", userId)?.Get("businessunitid") as LookupValue)?.Id ?? RootBusinessUnitId;

    /// <summary>A failed step's trace as a fault carries it: the plug-in type and step, then each line the plug-in wrote.</summary>
    private static string TraceTextOf(PluginStep step, List<string> lines)
        => $"\r\n[{step.PluginType.FullName}]\r\n[{step.Name}]\r\n\r\n" + string.Concat(lines.Select(line => "\t" + line + "\r\n"));

    private void InvokeStep(PluginStep step, PluginContext context)
    {
        var traced = new List<string>();
        var tracing = new TracingService(text =>
        {
            traced.Add(text);
            AddTrace(step, context.CorrelationId, text);
        });
        var provider = new PluginServiceProvider(context, tracing, new PluginServiceFactory(this, context));
        try
        {
            step.GetInstance().Execute(provider);
        }
        catch (InvalidPluginExecutionException ex)
        {
            // Dataverse: an InvalidPluginExecutionException reaches the caller as IsvAborted with the plugin's message,
            // its OperationStatus and error code, and the step's trace (the Web API shows them as error annotations:
            // learn.microsoft.com/power-apps/developer/data-platform/webapi/compose-http-requests-handle-errors).
            var fault = OrgFaults.Create(OrgErrorCodes.IsvAborted, ex.Message, new Dictionary<string, object>
            {
                ["OperationStatus"] = ((int)ex.Status).ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["SubErrorCode"] = ex.ErrorCode.ToString(System.Globalization.CultureInfo.InvariantCulture),
            });
            fault.Detail.TraceText = TraceTextOf(step, traced);
            throw fault;
        }
        catch (FaultException<OrganizationServiceFault>)
        {
            throw;
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // Dataverse: any other exception is IsvUnExpected and shows the raw exception.
            throw OrgFaults.Create(OrgErrorCodes.IsvUnExpected,
                $"Unexpected exception from plug-in (Execute): {step.PluginType.FullName}: {ex.GetType().FullName}: {ex.Message}");
        }
    }
}

/// <summary>The outcome of one asynchronous step execution.</summary>
/// <param name="StepName">The step.</param>
/// <param name="MessageName">The message that queued it.</param>
/// <param name="PrimaryEntityId">The record.</param>
/// <param name="Succeeded">True when the plugin returned normally.</param>
/// <param name="Message">The failure message, if it failed.</param>
public sealed record AsyncOperationResult(string StepName, string MessageName, Guid PrimaryEntityId, bool Succeeded, string? Message);
