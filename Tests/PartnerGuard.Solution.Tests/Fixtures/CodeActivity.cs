namespace System.Activities;

// The base class of custom workflow activities lives in .NET Framework's System.Activities, which net10.0 does not have.
// This empty class of the same full name lets the test assembly declare an activity whose base the packer recognises by name.

/// <summary>Stand-in for System.Activities.CodeActivity (packer fixture only; never executed).</summary>
public abstract class CodeActivity
{
}
