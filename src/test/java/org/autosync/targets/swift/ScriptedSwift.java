package org.autosync.targets.swift;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * A tiny real HTTP/1.1 server on a {@link ServerSocket} at 127.0.0.1 that plays Swift from a script: v1 auth at
 * {@code /auth/v1.0} is always answered; every other request goes to {@link #script}, which can answer, hang (accept
 * and never answer, never read the body) or drop the connection. It counts connections and keeps every request.
 */
final class ScriptedSwift implements AutoCloseable {

    /** What came in: method, path with query, and the MD5 of the body (null when it was not read). */
    record Request(String method, String target, Map<String, String> headers, String bodyMd5, long bodyLength) {
    }

    /** What to do with a request. */
    record Answer(int status, Map<String, String> headers, String body, boolean hangs, boolean drops) {
        static Answer of(int status, String body) {
            return new Answer(status, Map.of(), body, false, false);
        }

        static Answer of(int status, Map<String, String> headers, String body) {
            return new Answer(status, headers, body, false, false);
        }

        /** Accept and never answer; the body is not read either. */
        static Answer hang() {
            return new Answer(0, Map.of(), null, true, false);
        }

        /** Read the request, then close the connection without a word. */
        static Answer drop() {
            return new Answer(0, Map.of(), null, false, true);
        }
    }

    private final ServerSocket server;
    private final java.util.concurrent.CountDownLatch closed = new java.util.concurrent.CountDownLatch(1);
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    final AtomicInteger connections = new AtomicInteger();
    final List<Request> requests = new CopyOnWriteArrayList<>();
    volatile Function<Request, Answer> script = r -> Answer.of(404, "");

    ScriptedSwift() throws IOException {
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(this::acceptLoop, "scripted-swift-" + server.getLocalPort());
        acceptor.setDaemon(true);
        acceptor.start();
    }

    URI authUrl() {
        return URI.create("http://127.0.0.1:" + server.getLocalPort() + "/auth/v1.0");
    }

    /** Requests other than the login, in order. */
    List<Request> swiftRequests() {
        List<Request> out = new ArrayList<>();
        requests.forEach(r -> {
            if (!r.target().startsWith("/auth/")) {
                out.add(r);
            }
        });
        return out;
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket socket = server.accept();
                sockets.add(socket);
                connections.incrementAndGet();
                Thread t = new Thread(() -> serve(socket), "scripted-swift-conn");
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    private void serve(Socket socket) {
        try (socket) {
            InputStream in = new BufferedInputStream(socket.getInputStream());
            OutputStream out = socket.getOutputStream();
            while (true) {
                String line = readLine(in);
                if (line == null || line.isEmpty()) {
                    return;
                }
                String[] parts = line.split(" ");
                Map<String, String> headers = new LinkedHashMap<>();
                for (String h; (h = readLine(in)) != null && !h.isEmpty(); ) {
                    int colon = h.indexOf(':');
                    headers.put(h.substring(0, colon).trim().toLowerCase(Locale.ROOT), h.substring(colon + 1).trim());
                }
                long length = Long.parseLong(headers.getOrDefault("content-length", "0"));
                Request head = new Request(parts[0], parts[1], headers, null, length);
                Answer answer = head.target().startsWith("/auth/") ? Answer.of(200, Map.of("X-Auth-Token", "tk",
                        "X-Storage-Url", "http://127.0.0.1:" + server.getLocalPort() + "/v1/AUTH_test"), "")
                        : script.apply(head);
                if (answer.hangs()) {
                    requests.add(head);
                    closed.await(); // neither reads the body nor answers; the socket closes with the server
                    return;
                }
                requests.add(new Request(head.method(), head.target(), headers, md5(in, length), length));
                if (answer.drops()) {
                    return;
                }
                byte[] body = answer.body().getBytes(StandardCharsets.UTF_8);
                StringBuilder response = new StringBuilder("HTTP/1.1 " + answer.status() + " X\r\nContent-Length: "
                        + body.length + "\r\n");
                answer.headers().forEach((k, v) -> response.append(k).append(": ").append(v).append("\r\n"));
                out.write(response.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1));
                out.write(body);
                out.flush();
            }
        } catch (IOException e) {
            // the client went away
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String md5(InputStream in, long length) throws IOException {
        try {
            MessageDigest md5 = MessageDigest.getInstance("MD5");
            byte[] buffer = new byte[64 * 1024];
            for (long left = length; left > 0; ) {
                int n = in.read(buffer, 0, (int) Math.min(buffer.length, left));
                if (n < 0) {
                    throw new IOException("body ended early");
                }
                md5.update(buffer, 0, n);
                left -= n;
            }
            return HexFormat.of().formatHex(md5.digest());
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int c; (c = in.read()) >= 0; ) {
            if (c == '\n') {
                String s = line.toString(StandardCharsets.ISO_8859_1);
                return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
            }
            line.write(c);
        }
        return null;
    }

    @Override
    public void close() throws IOException {
        closed.countDown();
        server.close();
        for (Socket s : sockets) {
            s.close();
        }
    }
}
