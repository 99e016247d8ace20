using System.Globalization;
using System.Text;

namespace ArtifactPortal.Infrastructure.Previews;

/// <summary>The counts and the scalar metadata (architecture, name, context length…) at the start of a GGUF file.</summary>
internal static class GgufHeaderReader
{
    private const int MaxShownValues = 16;

    public static void Read(Stream content, List<KeyValuePair<string, string>> details)
    {
        using var reader = new BinaryReader(new BufferedStream(content, 64 * 1024), Encoding.UTF8, leaveOpen: true);
        if (!reader.ReadBytes(4).AsSpan().SequenceEqual("GGUF"u8))
        {
            throw new InvalidDataException("it does not start with the GGUF magic bytes.");
        }

        var version = reader.ReadUInt32();
        var wide = version >= 2;
        var tensorCount = wide ? reader.ReadUInt64() : reader.ReadUInt32();
        var valueCount = wide ? reader.ReadUInt64() : reader.ReadUInt32();
        details.Add(new("GGUF version", version.ToString(CultureInfo.InvariantCulture)));
        details.Add(new("Tensors", tensorCount.ToString("N0", CultureInfo.InvariantCulture)));
        details.Add(new("Metadata entries", valueCount.ToString("N0", CultureInfo.InvariantCulture)));

        var shown = 0;
        for (ulong i = 0; i < valueCount && shown < MaxShownValues; i++)
        {
            var key = ReadString(reader, wide);
            var type = reader.ReadUInt32();
            var value = ReadValue(reader, type, wide);
            if (value is not null)
            {
                details.Add(new(key, value));
                shown++;
            }
        }
    }

    // Scalars as text; arrays (the tokenizer vocabulary) are read past and give null.
    private static string? ReadValue(BinaryReader reader, uint type, bool wide)
    {
        switch (type)
        {
            case 0: return reader.ReadByte().ToString(CultureInfo.InvariantCulture);
            case 1: return reader.ReadSByte().ToString(CultureInfo.InvariantCulture);
            case 2: return reader.ReadUInt16().ToString(CultureInfo.InvariantCulture);
            case 3: return reader.ReadInt16().ToString(CultureInfo.InvariantCulture);
            case 4: return reader.ReadUInt32().ToString(CultureInfo.InvariantCulture);
            case 5: return reader.ReadInt32().ToString(CultureInfo.InvariantCulture);
            case 6: return reader.ReadSingle().ToString(CultureInfo.InvariantCulture);
            case 7: return reader.ReadBoolean() ? "true" : "false";
            case 8: return ReadString(reader, wide);
            case 9:
                var itemType = reader.ReadUInt32();
                var count = wide ? reader.ReadUInt64() : reader.ReadUInt32();
                for (ulong i = 0; i < count; i++)
                {
                    ReadValue(reader, itemType, wide);
                }

                return null;
            case 10: return reader.ReadUInt64().ToString(CultureInfo.InvariantCulture);
            case 11: return reader.ReadInt64().ToString(CultureInfo.InvariantCulture);
            case 12: return reader.ReadDouble().ToString(CultureInfo.InvariantCulture);
            default: throw new InvalidDataException($"it has a metadata value of unknown type {type}.");
        }
    }

    private static string ReadString(BinaryReader reader, bool wide) =>
        ModelSummaryReader.ReadString(reader, wide ? reader.ReadUInt64() : reader.ReadUInt32());
}
