using System.Text.Json;
using Micro.Core.Input;
using Micro.Core.Results;

namespace Micro.Core.Ceilings;

public static class CeilingsFile
{
    public static void Write(string path, CeilingsProfile profile)
    {
        var tmp = path + ".tmp";
        File.WriteAllText(tmp, JsonSerializer.Serialize(profile, MicroJson.Pretty));
        File.Move(tmp, path, overwrite: true);
    }

    public static CeilingsProfile Read(string path)
    {
        var p = JsonInput.Deserialize<CeilingsProfile>(path, InputLimits.MaxCeilingsBytes, MicroJson.Pretty, "a ceilings profile");
        if (p.Schema != CeilingsProfile.CurrentSchema) throw new InputException(path, "schema", $"unsupported schema '{p.Schema}', expected '{CeilingsProfile.CurrentSchema}'");
        if (CeilingValidation.Problem(p) is { } bad) throw new InputException(path, bad.Field, bad.Reason);
        return p;
    }
}
