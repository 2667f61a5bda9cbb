namespace Microsoft.Xrm.Sdk;

public interface IPlugin
{
    void Execute(IServiceProvider serviceProvider);
}
