using System.Runtime.Serialization;

namespace PartnerGuard.XrmSdk.Internal;

/// <summary>
/// Stands in for the official ColumnSet.AttributeExpressions in serialized form only, so a ColumnSet writes the
/// same XML as the official one (an empty AttributeExpressions element). The stand-in does not declare
/// XrmAttributeExpression (not in the reference), so items read from XML are kept as plain objects.
/// </summary>
[CollectionDataContract(Name = "ArrayOfXrmAttributeExpression", Namespace = XrmContracts.Namespace2011, ItemName = "XrmAttributeExpression")]
internal sealed class AttributeExpressionList : List<object>
{
}
