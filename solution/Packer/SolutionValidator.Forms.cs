using System.Xml.Linq;

namespace PartnerGuard.Packer;

/// <summary>
/// Entities/&lt;Name&gt;/FormXml/&lt;type&gt;/{id}.xml: the form names only columns that exist and only libraries the solution
/// ships, and every event handler's library is one of the form's libraries.
/// </summary>
internal sealed partial class SolutionValidator
{
    private void ValidateForm(EntitySource entity, FormSource form)
    {
        var document = form.Document;
        var isCustomTable = HasPrefix(entity.LogicalName);
        foreach (var control in document.Root.Descendants("control"))
        {
            var column = ((string?)control.Attribute("datafieldname"))?.ToLowerInvariant();
            if (string.IsNullOrEmpty(column) || entity.FindAttribute(column) is not null)
            {
                continue;
            }

            // A custom table's Entity.xml lists every column; a system table's holds only the columns the solution adds, so
            // its platform columns (name, customerid…) cannot be checked offline, but a column with the publisher's prefix can.
            if (isCustomTable || HasPrefix(column))
            {
                Problem(document, control, $"the control '{(string?)control.Attribute("id")}' shows the column '{column}', which the table '{entity.LogicalName}' does not have");
            }
        }

        var libraries = new HashSet<string>(StringComparer.Ordinal);
        foreach (var library in document.Root.Descendants("Library"))
        {
            var name = (string?)library.Attribute("name") ?? "";
            libraries.Add(name);
            if (HasPrefix(name) && !_source.WebResources.Any(w => string.Equals(w.Name, name, StringComparison.Ordinal)))
            {
                Problem(document, library, $"the form library '{name}' is not a web resource of the solution (WebResources/{name})");
            }
            else if (!HasPrefix(name))
            {
                Problem(document, library, $"the form library '{name}' belongs to another publisher; a solution ships only its own libraries");
            }
        }

        foreach (var handler in document.Root.Descendants("Handler").Where(h => h.Parent?.Name != "InternalHandlers"))
        {
            var library = (string?)handler.Attribute("libraryName") ?? "";
            if (!libraries.Contains(library))
            {
                Problem(document, handler, $"the handler '{(string?)handler.Attribute("functionName")}' names the library '{library}', which is not among the form's <formLibraries>");
            }
        }
    }
}
