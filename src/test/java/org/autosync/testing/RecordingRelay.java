package org.autosync.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.UnaryOperator;

/**
 * A TCP relay on 127.0.0.1 in front of a real server: it passes every byte through unchanged (so signatures still
 * match) and records what clients sent, to read the requests' headers as the server received them. It can also
 * change the bytes on their way to the server ({@link #alterRequests}), as a faulty network would.
 */
public final class RecordingRelay implements AutoCloseable {

    /** One request as sent: method, path with query, and headers (names in lower case). */
    public record Request(String method, String path, Map<String, String> headers) {
        public String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }
    }

    private final URI target;
    private final ServerSocket server;
    /** What each connection's client sent, one buffer per connection (parallel requests do not interleave). */
    private final List<ByteArrayOutputStream> sent = new CopyOnWriteArrayList<>();
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private volatile UnaryOperator<byte[]> alter = UnaryOperator.identity();

    public RecordingRelay(URI target) throws IOException {
        this.target = target;
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread accept = new Thread(this::accept, "relay-accept");
        accept.setDaemon(true);
        accept.start();
    }

    /** {@code http://127.0.0.1:<port>}: where clients connect instead of the server. */
    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getLocalPort());
    }

    /** From now on, every chunk read from a client goes to the server as {@code alter} returns it (same length). */
    public void alterRequests(UnaryOperator<byte[]> alter) {
        this.alter = alter;
    }

    /** The requests sent so far, connection by connection, each connection's in order. */
    public List<Request> requests() {
        List<Request> requests = new ArrayList<>();
        for (ByteArrayOutputStream connection : sent) {
            String bytes;
            synchronized (connection) {
                bytes = connection.toString(StandardCharsets.ISO_8859_1);
            }
            parse(bytes, requests);
        }
        return requests;
    }

    /** Requests one after the other on a connection: head, then as many body bytes as its Content-Length says. */
    private static void parse(String bytes, List<Request> requests) {
        int at = 0;
        while (at < bytes.length()) {
            int end = bytes.indexOf("\r\n\r\n", at);
            if (end < 0) {
                return; // a head still on its way
            }
            String[] lines = bytes.substring(at, end).split("\r\n");
            String[] requestLine = lines[0].split(" ");
            Map<String, String> headers = new LinkedHashMap<>();
            for (int i = 1; i < lines.length; i++) {
                int colon = lines[i].indexOf(':');
                headers.put(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).trim());
            }
            requests.add(new Request(requestLine[0], requestLine[1], headers));
            at = end + 4 + Integer.parseInt(headers.getOrDefault("content-length", "0"));
        }
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                Socket upstream = new Socket(target.getHost(), target.getPort());
                sockets.add(client);
                sockets.add(upstream);
                ByteArrayOutputStream record = new ByteArrayOutputStream();
                sent.add(record);
                pump(client.getInputStream(), upstream.getOutputStream(), record);
                pump(upstream.getInputStream(), client.getOutputStream(), null);
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    /** Copies {@code in} to {@code out}; a client's bytes ({@code record} not null) are recorded, then altered. */
    private void pump(InputStream in, OutputStream out, ByteArrayOutputStream record) {
        Thread t = new Thread(() -> {
            byte[] buffer = new byte[64 * 1024];
            try (in; out) {
                for (int n; (n = in.read(buffer)) > 0; ) {
                    byte[] chunk = java.util.Arrays.copyOf(buffer, n);
                    if (record != null) {
                        synchronized (record) {
                            record.write(chunk);
                        }
                        chunk = alter.apply(chunk);
                    }
                    out.write(chunk);
                    out.flush();
                }
            } catch (IOException e) {
                // connection closed by either side
            }
        }, "relay-pump");
        t.setDaemon(true);
        t.start();
    }

    @Override
    public void close() throws IOException {
        server.close();
        for (Socket socket : sockets) {
            socket.close();
        }
    }
}
