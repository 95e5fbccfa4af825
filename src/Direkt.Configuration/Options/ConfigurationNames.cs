using System.Text;

namespace Direkt.Configuration.Options;

/// <summary>How an enum member is spelled in direkt.conf: snake_case of its name (ProfileOnly → profile_only).</summary>
public static class ConfigurationNames
{
    public static string Of(string memberName)
    {
        var name = new StringBuilder(memberName.Length + 4);
        for (var i = 0; i < memberName.Length; i++)
        {
            if (char.IsUpper(memberName[i]) && i > 0) name.Append('_');
            name.Append(char.ToLowerInvariant(memberName[i]));
        }
        return name.ToString();
    }

    public static string Of<T>(T member) where T : struct, Enum => Of(member.ToString());
}
