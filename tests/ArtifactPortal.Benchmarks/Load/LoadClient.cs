using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace ArtifactPortal.Benchmarks.Load;

/// <summary>
/// A lean HTTP/1.1 client for one URL, in the manner of wrk: the request's bytes written to a kept-alive connection, the
/// answer's status read and its body skipped. The load generator shares the two cores with the portal and PostgreSQL, so
/// its CPU is taken from the portal: at 500 version pages/s HttpClient took 0.26–0.31 ms per request, this client 0.17–0.18
/// ms (of the 4 ms two cores give a request; docs/benchmarks.md, session 16). Cookies the portal sets (the session cookie
/// it renews after the once-a-minute security-stamp check) go into the <see cref="CookieContainer"/> and into the next
/// requests, as a browser's would.
/// </summary>
internal sealed class LoadClient : IDisposable
{
    private readonly Uri _url;
    private readonly IPEndPoint _server;
    private readonly string _fixedHead;
    private readonly CookieContainer? _cookies;
    private readonly ConcurrentBag<Connection> _idle = [];
    private readonly Lock _cookieLock = new();
    private byte[] _request;

    public LoadClient(Uri url, string? bearerToken = null, CookieContainer? cookies = null)
    {
        _url = url;
        _server = new IPEndPoint(IPAddress.Parse(url.Host), url.Port);
        _fixedHead = $"GET {url.PathAndQuery} HTTP/1.1\r\nHost: {url.Authority}\r\n" +
                     (bearerToken is null ? "" : $"Authorization: Bearer {bearerToken}\r\n");
        _cookies = cookies;
        _request = BuildRequest();
    }

    /// <summary>
    /// One request, its whole answer read: true when it was 200. A broken connection or a malformed answer closes the connection
    /// and is false; a kept-alive connection the server had already closed is retried once on a new one, as HttpClient does.
    /// </summary>
    public async Task<bool> SendAsync(CancellationToken cancellationToken)
    {
        var reused = _idle.TryTake(out var connection);
        connection ??= new Connection();
        try
        {
            var (status, keepAlive) = await connection.ExchangeAsync(_server, Volatile.Read(ref _request), OnSetCookie, cancellationToken);
            Release(connection, keepAlive);
            return status == (int)HttpStatusCode.OK;
        }
        catch (ClosedBeforeAnswerException) when (reused)
        {
            connection.Dispose();
            return await SendAsync(cancellationToken);
        }
        catch (Exception e) when (e is SocketException or IOException or InvalidDataException or OperationCanceledException)
        {
            connection.Dispose();
            return false;
        }
    }

    public void Dispose()
    {
        while (_idle.TryTake(out var connection))
        {
            connection.Dispose();
        }
    }

    private void Release(Connection connection, bool keepAlive)
    {
        if (keepAlive)
        {
            _idle.Add(connection);
        }
        else
        {
            connection.Dispose();
        }
    }

    private void OnSetCookie(string header)
    {
        if (_cookies is null)
        {
            return;
        }

        lock (_cookieLock)
        {
            _cookies.SetCookies(_url, header);
            Volatile.Write(ref _request, BuildRequest());
        }
    }

    private byte[] BuildRequest()
    {
        var cookie = _cookies?.GetCookieHeader(_url);
        return Encoding.ASCII.GetBytes(_fixedHead + (string.IsNullOrEmpty(cookie) ? "" : $"Cookie: {cookie}\r\n") + "\r\n");
    }

    private sealed class ClosedBeforeAnswerException() : IOException("The server closed the connection before answering.");

    /// <summary>One socket and its receive buffer; one exchange at a time.</summary>
    private sealed class Connection : IDisposable
    {
        private readonly Socket _socket = new(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        private readonly byte[] _buffer = new byte[64 * 1024];
        private int _start;
        private int _end;
        private bool _answered;

        public async Task<(int Status, bool KeepAlive)> ExchangeAsync(
            IPEndPoint server, byte[] request, Action<string> onSetCookie, CancellationToken cancellationToken)
        {
            if (!_socket.Connected)
            {
                await _socket.ConnectAsync(server, cancellationToken);
            }

            await _socket.SendAsync(request, SocketFlags.None, cancellationToken);
            (_start, _end, _answered) = (0, 0, false);
            var statusLine = await ReadLineAsync(cancellationToken);
            if (!statusLine.StartsWith("HTTP/1.1 ", StringComparison.Ordinal) || statusLine.Length < 12 ||
                !int.TryParse(statusLine.AsSpan(9, 3), NumberStyles.None, CultureInfo.InvariantCulture, out var status))
            {
                throw new InvalidDataException($"Not an HTTP/1.1 status line: '{statusLine}'");
            }

            long length = 0;
            var (chunked, keepAlive) = (false, true);
            for (var line = await ReadLineAsync(cancellationToken); line.Length > 0; line = await ReadLineAsync(cancellationToken))
            {
                var colon = line.IndexOf(':');
                var (name, value) = colon < 0 ? (line, "") : (line[..colon], line[(colon + 1)..].Trim());
                if (name.Equals("Content-Length", StringComparison.OrdinalIgnoreCase))
                {
                    length = long.Parse(value, CultureInfo.InvariantCulture);
                }
                else if (name.Equals("Transfer-Encoding", StringComparison.OrdinalIgnoreCase))
                {
                    chunked = value.Contains("chunked", StringComparison.OrdinalIgnoreCase);
                }
                else if (name.Equals("Connection", StringComparison.OrdinalIgnoreCase))
                {
                    keepAlive = !value.Equals("close", StringComparison.OrdinalIgnoreCase);
                }
                else if (name.Equals("Set-Cookie", StringComparison.OrdinalIgnoreCase))
                {
                    onSetCookie(value);
                }
            }

            if (!chunked)
            {
                await SkipAsync(length, cancellationToken);
                return (status, keepAlive);
            }

            // Chunks: a hex size line, that many bytes and CRLF; a zero size, then trailer lines up to an empty one.
            for (var size = await ReadChunkSizeAsync(cancellationToken); size > 0; size = await ReadChunkSizeAsync(cancellationToken))
            {
                await SkipAsync(size + 2, cancellationToken);
            }

            while ((await ReadLineAsync(cancellationToken)).Length > 0)
            {
            }

            return (status, keepAlive);
        }

        public void Dispose() => _socket.Dispose();

        private async Task<long> ReadChunkSizeAsync(CancellationToken cancellationToken)
        {
            var line = await ReadLineAsync(cancellationToken);
            var end = line.IndexOf(';');
            return long.TryParse(end < 0 ? line : line[..end], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var size)
                ? size
                : throw new InvalidDataException($"Not a chunk size: '{line}'");
        }

        /// <summary>The next line without its CRLF (headers are Latin-1).</summary>
        private async Task<string> ReadLineAsync(CancellationToken cancellationToken)
        {
            while (true)
            {
                var newline = _buffer.AsSpan(_start, _end - _start).IndexOf((byte)'\n');
                if (newline >= 0)
                {
                    var line = Encoding.Latin1.GetString(_buffer, _start, newline > 0 && _buffer[_start + newline - 1] == '\r' ? newline - 1 : newline);
                    _start += newline + 1;
                    return line;
                }

                await FillAsync(cancellationToken);
            }
        }

        private async Task SkipAsync(long count, CancellationToken cancellationToken)
        {
            while (true)
            {
                var taken = (int)Math.Min(count, _end - _start);
                _start += taken;
                count -= taken;
                if (count == 0)
                {
                    return;
                }

                await FillAsync(cancellationToken);
            }
        }

        /// <summary>Receives more bytes after the unread ones (moved to the front when the buffer's end is reached).</summary>
        private async Task FillAsync(CancellationToken cancellationToken)
        {
            var unread = _end - _start;
            if (unread == _buffer.Length)
            {
                throw new InvalidDataException("A header line longer than the receive buffer.");
            }

            if (_end == _buffer.Length || unread == 0)
            {
                _buffer.AsSpan(_start, unread).CopyTo(_buffer);
                (_start, _end) = (0, unread);
            }

            var received = await _socket.ReceiveAsync(_buffer.AsMemory(_end), SocketFlags.None, cancellationToken);
            if (received == 0)
            {
                throw _answered ? new IOException("The server closed the connection mid-answer.") : new ClosedBeforeAnswerException();
            }

            _end += received;
            _answered = true;
        }
    }
}
