package org.autosync.soak;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Reads the access log of the test Swift's proxy ({@code target/swift-aio/log/proxy.log}, written by
 * {@code proxy_logging}) into a {@link RequestLog}: the requests on one container and the auth requests, with the
 * proxy's own start and end times (epoch seconds, nanosecond digits). Object DELETEs made by the bulk-delete
 * middleware on behalf of a {@code POST ?bulk-delete} are logged by the inner {@code proxy_logging} as subrequests
 * (client address "-", source "BD"): they are the deletes, one line per object, and are read as such, timed
 * from the start of their bulk request (when the client sent them); the {@code POST /v1/ACCOUNT?bulk-delete}
 * itself counts as one delete request.
 *
 * <p>A line: {@code proxy-server: CLIENT REMOTE DATE METHOD PATH PROTO STATUS REFERER AGENT TOKEN RECEIVED SENT
 * ETAG TXID HEADERS TIME SOURCE INFO START END POLICY}; each field is quoted, and the path is quoted once more.
 */
public final class SwiftProxyLog {

    private static final Set<String> METHODS = Set.of("GET", "HEAD", "PUT", "POST", "DELETE", "COPY");

    private SwiftProxyLog() {
    }

    /** The lines of {@code log} from byte {@code offset} on, about {@code container} in {@code account} (e.g. AUTH_test). */
    public static RequestLog read(Path log, long offset, String account, String container) throws IOException {
        RequestLog requests = new RequestLog();
        byte[] all = Files.readAllBytes(log);
        String text = new String(all, (int) Math.min(offset, all.length), (int) Math.max(0, all.length - offset),
                StandardCharsets.UTF_8);
        String base = "/v1/" + account + "/" + container;
        List<long[]> bulkRequests = new ArrayList<>();
        List<Object[]> bulkDeletes = new ArrayList<>();
        for (String line : text.split("\n")) {
            String[] f = line.trim().split(" ");
            if (f.length < 21 || !f[0].equals("proxy-server:") || !METHODS.contains(f[4])) {
                continue;
            }
            String method = f[4];
            String path = decode(decode(f[5]));
            String query = "";
            int q = path.indexOf('?');
            if (q >= 0) {
                query = path.substring(q + 1);
                path = path.substring(0, q);
            }
            long start = micros(f[f.length - 3]);
            long end = micros(f[f.length - 2]);
            String status = f[7];
            boolean subrequest = f[1].equals("-");
            String source = f[f.length - 5];
            String detail = status + (subrequest ? " sub " + source : "") + (query.isEmpty() ? "" : " ?" + query);
            if (path.equals("/v1/" + account) && method.equals("POST") && query.contains("bulk-delete")) {
                if (!subrequest) {
                    requests.record(RequestLog.DELETE_REQUEST, null, start, end, detail);
                    bulkRequests.add(new long[] {start, end});
                }
            } else if (path.startsWith("/auth/")) {
                requests.record("AUTH", null, start, end, detail);
            } else if (path.equals(base)) {
                if (!subrequest) {
                    String kind = method.equals("GET") ? "LIST"
                            : method.equals("POST") && query.contains("bulk-delete") ? RequestLog.DELETE_REQUEST
                            : method + "_CONTAINER";
                    requests.record(kind, null, start, end, detail);
                }
            } else if (path.startsWith(base + "/")) {
                String key = path.substring(base.length() + 1);
                if (method.equals("DELETE") && subrequest && source.equals("BD")) {
                    bulkDeletes.add(new Object[] {key, start, end, detail});
                } else if (method.equals("DELETE")) {
                    requests.record(RequestLog.DELETE, key, start, end, detail);
                    if (!subrequest) {
                        requests.record(RequestLog.DELETE_REQUEST, null, start, end, detail);
                    }
                } else if (!subrequest) {
                    requests.record(method, key, start, end, detail);
                }
            } else if (path.startsWith(base + "_segments") && !subrequest) {
                requests.record("SEGMENTS_" + method, null, start, end, detail);
            } else if (path.equals("/info") && !subrequest) {
                requests.record("INFO", null, start, end, detail);
            }
        }
        // a bulk delete's objects are deleted one by one while it runs, but the client sent them all at its start:
        // that is when Autosync decided, so that is the delete's time (the latest enclosing bulk request's start)
        for (Object[] d : bulkDeletes) {
            long start = (long) d[1];
            long end = (long) d[2];
            long sent = bulkRequests.stream().filter(b -> b[0] <= start && b[1] >= end).mapToLong(b -> b[0]).max()
                    .orElse(start);
            requests.record(RequestLog.DELETE, (String) d[0], sent, end, d[3] + " (bulk sent at its start)");
        }
        return requests;
    }

    private static long micros(String seconds) {
        int dot = seconds.indexOf('.');
        if (dot < 0) {
            return Long.parseLong(seconds) * 1_000_000L;
        }
        String frac = (seconds.substring(dot + 1) + "000000").substring(0, 6);
        return Long.parseLong(seconds.substring(0, dot)) * 1_000_000L + Long.parseLong(frac);
    }

    /** Percent-decoding of a path ('+' stays '+'). */
    static String decode(String s) {
        if (s.indexOf('%') < 0) {
            return s;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '%' && i + 2 < s.length() && isHex(s.charAt(i + 1)) && isHex(s.charAt(i + 2))) {
                out.write(Integer.parseInt(s.substring(i + 1, i + 3), 16));
                i += 2;
            } else {
                byte[] b = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
                out.write(b, 0, b.length);
            }
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    private static boolean isHex(char c) {
        return Character.digit(c, 16) >= 0;
    }

    /** The byte size of {@code log} now: read from here later to see only what follows. */
    public static long mark(Path log) throws IOException {
        return Files.exists(log) ? Files.size(log) : 0;
    }
}
