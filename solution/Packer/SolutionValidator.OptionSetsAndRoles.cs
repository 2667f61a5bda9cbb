namespace PartnerGuard.Packer;

/// <summary>OptionSets/*.xml (global choices) and Roles/*.xml (security roles).</summary>
internal sealed partial class SolutionValidator
{
    private void ValidateOptionSet(SourceDocument optionSet)
    {
        var name = (string?)optionSet.Root.Attribute("Name") ?? "";
        if (optionSet.Root.Name != "optionset")
        {
            Problem(optionSet, optionSet.Root, "the root must be <optionset>");
            return;
        }

        if (!string.Equals(name, Path.GetFileNameWithoutExtension(optionSet.RelativePath), StringComparison.OrdinalIgnoreCase))
        {
            Problem(optionSet, optionSet.Root, $"the choice is named '{name}' but its file is {Path.GetFileName(optionSet.RelativePath)}");
        }

        if (!HasPrefix(name))
        {
            Problem(optionSet, optionSet.Root, $"the global choice '{name}' must start with the publisher prefix '{_prefix}_'");
        }

        ValidateOptions(optionSet, optionSet.Root, $"the global choice '{name}'");
    }

    private void ValidateRole(SourceDocument role)
    {
        if (role.Root.Name != "Role" || SourceIds.NormalizeId((string?)role.Root.Attribute("id")) is null)
        {
            Problem(role, role.Root, "the root must be <Role id=\"{guid}\" name=\"…\">");
            return;
        }

        var name = (string?)role.Root.Attribute("name") ?? "";
        if (!string.Equals(name, Path.GetFileNameWithoutExtension(role.RelativePath), StringComparison.Ordinal))
        {
            Problem(role, role.Root, $"the role is named '{name}' but its file is {Path.GetFileName(role.RelativePath)}");
        }

        var privileges = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var privilege in role.Root.Element("RolePrivileges")?.Elements("RolePrivilege") ?? [])
        {
            var privilegeName = (string?)privilege.Attribute("name") ?? "";
            var level = (string?)privilege.Attribute("level") ?? "";
            if (!privilegeName.StartsWith("prv", StringComparison.Ordinal))
            {
                Problem(role, privilege, $"the privilege '{privilegeName}' must be named prv<Action><Table>");
            }

            if (!SolutionRules.PrivilegeLevels.Contains(level))
            {
                Problem(role, privilege, $"the privilege '{privilegeName}' has level '{level}'; use Basic, Local, Deep or Global");
            }

            if (!privileges.Add(privilegeName))
            {
                Problem(role, privilege, $"the privilege '{privilegeName}' is listed twice");
            }
        }
    }

    /// <summary>Returns the plugin types by normalized id.</summary>
}
