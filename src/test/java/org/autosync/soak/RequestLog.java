package org.autosync.soak;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.stream.Collectors;

/**
 * What a server was asked, one entry per request and key, with the wall-clock microseconds at which the server
 * started and finished serving it. A multi-key delete is one entry per key (all with the request's times) plus one
 * {@link #DELETE_REQUEST} entry without a key, so that {@link #counts()} shows both figures.
 */
public final class RequestLog {

    public static final String DELETE = "DELETE";
    /** One per delete request, however many keys it named. */
    public static final String DELETE_REQUEST = "DELETE_REQUEST";

    /** One request (or one key of a multi-key request). {@code key} is null for requests on no object. */
    public record Request(String kind, String key, long startMicros, long endMicros, String detail) {
        public String format(long originMicros) {
            return SoakClock.rel(startMicros, originMicros) + ".." + SoakClock.rel(endMicros, originMicros) + " "
                    + kind + (key == null ? "" : " " + key) + (detail == null || detail.isEmpty() ? "" : " " + detail);
        }
    }

    private final ConcurrentLinkedQueue<Request> requests = new ConcurrentLinkedQueue<>();

    public void record(String kind, String key, long startMicros, long endMicros, String detail) {
        requests.add(new Request(kind, key, startMicros, endMicros, detail));
    }

    public List<Request> all() {
        List<Request> list = new ArrayList<>(requests);
        list.sort(Comparator.comparingLong(Request::startMicros));
        return list;
    }

    /** Every key a delete named, with the time of its request. */
    public List<Request> deletes() {
        return all().stream().filter(r -> DELETE.equals(r.kind()) && r.key() != null).toList();
    }

    /** Requests by kind, in name order. */
    public Map<String, Long> counts() {
        return requests.stream().collect(Collectors.groupingBy(Request::kind, TreeMap::new, Collectors.counting()));
    }

    /** The requests on {@code key}, in time order, at most {@code max} of the last ones. */
    public List<String> excerpt(String key, long originMicros, int max) {
        List<String> lines = all().stream().filter(r -> key.equals(r.key())).map(r -> r.format(originMicros)).toList();
        return lines.subList(Math.max(0, lines.size() - max), lines.size());
    }
}
