using System.Text.Json;
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
        InputLimits.CheckFileSize(path, 64L << 20);
        CeilingsProfile? p;
        try { p = LegacySchema.Deserialize<CeilingsProfile>(File.ReadAllText(path), MicroJson.Pretty); }
        catch (JsonException e) { throw new InputException(path, e.Path, "not a ceilings profile (" + e.Message.Split('\n')[0] + ")", e); }
        if (p is null) throw new InputException(path, null, "empty ceilings profile");
        if (p.Schema != CeilingsProfile.CurrentSchema) throw new InputException(path, "schema", $"unsupported schema '{p.Schema}', expected '{CeilingsProfile.CurrentSchema}'");
        return p;
    }
}
