namespace Microsoft.Xrm.Sdk;

public interface IPluginExecutionContext4 : IPluginExecutionContext3
{
    EntityImageCollection[] PreEntityImagesCollection { get; }

    EntityImageCollection[] PostEntityImagesCollection { get; }
}
