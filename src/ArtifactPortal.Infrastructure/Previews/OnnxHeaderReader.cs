using System.Globalization;
using System.Text;

namespace ArtifactPortal.Infrastructure.Previews;

/// <summary>
/// The top-level fields of an ONNX <c>ModelProto</c> (IR version, producer, opsets, metadata), read straight from the
/// protobuf wire format; the graph with the weights is skipped.
/// </summary>
internal static class OnnxHeaderReader
{
    public static void Read(Stream content, List<KeyValuePair<string, string>> details)
    {
        using var reader = new BinaryReader(new BufferedStream(content, 64 * 1024), Encoding.UTF8, leaveOpen: true);
        var opsets = new List<string>();
        var fields = 0;
        while (TryReadVarint(reader, out var tag))
        {
            var field = (int)(tag >> 3);
            var wireType = (int)(tag & 7);
            if (field == 0 || wireType is 3 or 4 or > 5)
            {
                throw new InvalidDataException("it is not an ONNX model (bad protobuf field).");
            }

            fields++;
            switch (field, wireType)
            {
                case (1, 0): details.Add(new("IR version", ReadVarint(reader).ToString(CultureInfo.InvariantCulture))); break;
                case (2, 2): details.Add(new("Producer", ReadText(reader))); break;
                case (3, 2): details.Add(new("Producer version", ReadText(reader))); break;
                case (4, 2): details.Add(new("Domain", ReadText(reader))); break;
                case (5, 0): details.Add(new("Model version", ReadVarint(reader).ToString(CultureInfo.InvariantCulture))); break;
                case (6, 2): details.Add(new("Description", ReadText(reader))); break;
                case (8, 2): opsets.Add(ReadOpset(reader)); break;
                case (14, 2):
                    var (key, value) = ReadPair(reader);
                    details.Add(new("Metadata: " + key, value));
                    break;
                default: Skip(reader, wireType); break;
            }
        }

        if (fields == 0)
        {
            throw new InvalidDataException("the file is empty.");
        }

        if (opsets.Count > 0)
        {
            details.Add(new("Opsets", string.Join(", ", opsets)));
        }
    }

    private static string ReadOpset(BinaryReader reader)
    {
        var message = ReadBytes(reader);
        using var inner = new BinaryReader(new MemoryStream(message));
        var domain = "ai.onnx";
        ulong version = 0;
        while (TryReadVarint(inner, out var tag))
        {
            switch (tag)
            {
                case (1 << 3) | 2: domain = ReadText(inner) is { Length: > 0 } d ? d : domain; break;
                case (2 << 3) | 0: version = ReadVarint(inner); break;
                default: Skip(inner, (int)(tag & 7)); break;
            }
        }

        return $"{domain} {version}";
    }

    private static (string Key, string Value) ReadPair(BinaryReader reader)
    {
        using var inner = new BinaryReader(new MemoryStream(ReadBytes(reader)));
        string key = "", value = "";
        while (TryReadVarint(inner, out var tag))
        {
            switch (tag)
            {
                case (1 << 3) | 2: key = ReadText(inner); break;
                case (2 << 3) | 2: value = ReadText(inner); break;
                default: Skip(inner, (int)(tag & 7)); break;
            }
        }

        return (key, value);
    }

    private static string ReadText(BinaryReader reader) => PreviewLimits.Cell(Encoding.UTF8.GetString(ReadBytes(reader)));

    private static byte[] ReadBytes(BinaryReader reader)
    {
        var length = ReadVarint(reader);
        if (length > PreviewLimits.MaxHeaderBytes)
        {
            throw new InvalidDataException("a header field is too long.");
        }

        return reader.ReadBytes((int)length);
    }

    private static void Skip(BinaryReader reader, int wireType)
    {
        switch (wireType)
        {
            case 0: ReadVarint(reader); break;
            case 1: reader.BaseStream.Seek(8, SeekOrigin.Current); break;
            case 5: reader.BaseStream.Seek(4, SeekOrigin.Current); break;
            default:
                var length = (long)ReadVarint(reader);
                if (reader.BaseStream.CanSeek)
                {
                    reader.BaseStream.Seek(length, SeekOrigin.Current);
                }
                else
                {
                    var buffer = new byte[81920];
                    for (var remaining = length; remaining > 0;)
                    {
                        var read = reader.Read(buffer, 0, (int)Math.Min(remaining, buffer.Length));
                        remaining -= read > 0 ? read : throw new EndOfStreamException();
                    }
                }

                break;
        }
    }

    private static bool TryReadVarint(BinaryReader reader, out ulong value)
    {
        value = 0;
        try
        {
            value = ReadVarint(reader);
            return true;
        }
        catch (EndOfStreamException)
        {
            return false;
        }
    }

    private static ulong ReadVarint(BinaryReader reader)
    {
        ulong value = 0;
        for (var shift = 0; shift < 64; shift += 7)
        {
            var b = reader.ReadByte();
            value |= (ulong)(b & 0x7F) << shift;
            if ((b & 0x80) == 0)
            {
                return value;
            }
        }

        throw new InvalidDataException("it is not an ONNX model (bad varint).");
    }
}
