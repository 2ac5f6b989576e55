package io.messagebridge.harness;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The application's health and metrics endpoints (http://127.0.0.1:BRIDGE_MANAGEMENT_PORT/observe/...), read by a test. */
public final class Observe {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private final String base;

    private Observe(String base) {
        this.base = base;
    }

    /** The endpoints of the application started with this environment. */
    public static Observe of(Map<String, String> env) {
        return new Observe("http://127.0.0.1:" + env.get("BRIDGE_MANAGEMENT_PORT") + "/observe/");
    }

    public String body(String path) {
        try {
            return HTTP.send(request(path), HttpResponse.BodyHandlers.ofString()).body();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The HTTP status, or -1 when nothing answers. */
    public int status(String path) {
        try {
            return HTTP.send(request(path), HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    /** A Prometheus counter of one route, e.g. camel_exchanges_total{...routeId="orders-to-kafka"}; -1 if absent. */
    public long routeCounter(String name, String routeId) {
        return counter(name, "[^}]*eventType=\"route\"[^}]*routeId=\"" + routeId + "\"");
    }

    /** One of the bridge's own per-route counters, e.g. bridge_messages_forwarded_total{routeId="orders-to-kafka"}; -1 if absent. */
    public long bridgeCounter(String name, String routeId) {
        return counter(name, "[^}]*routeId=\"" + routeId + "\"");
    }

    private long counter(String name, String labels) {
        Matcher matcher = Pattern.compile("(?m)^" + name + "\\{" + labels + "[^}]*} ([0-9.E]+)$").matcher(body("metrics"));
        return matcher.find() ? (long) Double.parseDouble(matcher.group(1)) : -1;
    }

    private HttpRequest request(String path) {
        return HttpRequest.newBuilder(URI.create(base + path)).build();
    }
}
